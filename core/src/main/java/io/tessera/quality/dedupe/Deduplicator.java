package io.tessera.quality.dedupe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Fuzzy duplicate detection for person records (name, address, date of birth, phone, email).
 *
 * <p>Implementation notes. (1) Every compared column is normalized once into a
 * {@link ComparedField}. (2) Blocking ({@link CandidatePairs}) yields the distinct pairs sharing
 * some {@link BlockingKey}; nothing else is compared, so cost grows with the candidate count, not
 * n². (3) Each candidate becomes a comparison pattern (agreement level per field, packed in a
 * long), computed in parallel. (4) Unless a model is configured, u is estimated from seeded random
 * record pairs (almost all non-matches) and m and lambda by EM over the candidate patterns with u
 * held ({@link FellegiSunterModel#estimate}). (5) Each distinct pattern is scored once; pairs at
 * or above the review threshold are returned, marked auto-merge or review.
 *
 * <p>At most 16 columns are compared (4 bits each in a pattern); further ones are ignored.
 * Stateless apart from its settings; thread-safe.
 */
public final class Deduplicator {
    static final int MAX_FIELDS = 16;
    private static final int U_SAMPLE = 200_000;

    private final DedupeSettings settings;

    public Deduplicator(DedupeSettings settings) {
        this.settings = settings;
    }

    public DedupeResult run(RecordTable table) {
        Map<String, FieldKind> kinds = kindsOf(table);
        List<String> names = List.copyOf(kinds.keySet());
        ComparedField[] fields = names.parallelStream()
                .map(c -> new ComparedField(table, table.columns().indexOf(c), kinds.get(c)))
                .toArray(ComparedField[]::new);
        Map<String, ComparedField> byName = new HashMap<>();
        for (ComparedField f : fields) {
            byName.put(f.column, f);
        }
        List<BlockingKey> keys = settings.blockingKeys().isEmpty() ? BlockingKey.defaults(kinds) : settings.blockingKeys();
        CandidatePairs candidates = CandidatePairs.of(keys, byName, table.size(), settings.maxBlock());
        long[] pairs = candidates.pairs;
        long[] patterns = new long[pairs.length];
        IntStream.range(0, pairs.length).parallel()
                .forEach(i -> patterns[i] = pattern(fields, (int) (pairs[i] >>> 32), (int) pairs[i]));

        FellegiSunterModel model = settings.model().orElseGet(() -> estimate(names, fields, table.size(), patterns));
        Map<Long, Double> scoreOf = new ConcurrentHashMap<>();
        List<MatchPair> out = new ArrayList<>();
        for (int i = 0; i < pairs.length; i++) {
            double score = scoreOf.computeIfAbsent(patterns[i], model::probability);
            if (score >= settings.review()) {
                int a = (int) (pairs[i] >>> 32);
                int b = (int) pairs[i];
                out.add(new MatchPair(table.id(a), table.id(b), a, b, score,
                        score >= settings.autoMerge() ? MatchPair.Decision.AUTO_MERGE : MatchPair.Decision.REVIEW));
            }
        }
        out.sort(Comparator.comparingDouble(MatchPair::score).reversed()
                .thenComparingInt(MatchPair::rowA).thenComparingInt(MatchPair::rowB));
        return new DedupeResult(out, model, kinds, keys, pairs.length, candidates.skippedBlocks);
    }

    private Map<String, FieldKind> kindsOf(RecordTable table) {
        Map<String, FieldKind> kinds = new LinkedHashMap<>();
        for (String c : table.columns()) {
            FieldKind k = settings.kinds().getOrDefault(c, FieldKind.guess(c));
            if (k != FieldKind.IGNORE && kinds.size() < MAX_FIELDS) {
                kinds.put(c, k);
            }
        }
        for (String c : settings.kinds().keySet()) {
            if (!table.columns().contains(c)) {
                throw new IllegalArgumentException("a field kind is set for '" + c + "', which is not a column of " + table.columns());
            }
        }
        return kinds;
    }

    static long pattern(ComparedField[] fields, int a, int b) {
        long p = 0;
        for (int f = 0; f < fields.length; f++) {
            p |= (long) (fields[f].level(a, b) + 1) << (4 * f);
        }
        return p;
    }

    private FellegiSunterModel estimate(List<String> names, ComparedField[] fields, int size, long[] candidatePatterns) {
        double[][] u = new double[fields.length][];
        double[][] m = new double[fields.length][];
        for (int f = 0; f < fields.length; f++) {
            int levels = fields[f].kind.levels;
            u[f] = new double[levels];
            Arrays.fill(u[f], 1.0);
            m[f] = new double[levels];
            for (int l = 0; l < levels; l++) {
                m[f][l] = l == levels - 1 ? 0.9 : 0.1 / (levels - 1);
            }
        }
        if (size >= 2) {
            Random random = new Random(settings.seed());
            long all = (long) size * (size - 1) / 2;
            int samples = (int) Math.min(all, U_SAMPLE);
            for (int s = 0; s < samples; s++) {
                int a = random.nextInt(size);
                int b = random.nextInt(size - 1);
                if (b >= a) {
                    b++;
                }
                for (int f = 0; f < fields.length; f++) {
                    int level = fields[f].level(a, b);
                    if (level >= 0) {
                        u[f][level]++;
                    }
                }
            }
        }
        for (double[] row : u) {
            double total = Arrays.stream(row).sum();
            for (int l = 0; l < row.length; l++) {
                row[l] /= total;
            }
        }
        Map<Long, Long> counts = new HashMap<>();
        for (long p : candidatePatterns) {
            counts.merge(p, 1L, Long::sum);
        }
        FellegiSunterModel start = new FellegiSunterModel(names, 0.1, m, u);
        return counts.isEmpty() ? start : start.estimate(counts, settings.emIterations(), true);
    }
}
