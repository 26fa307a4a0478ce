package io.tessera.quality.dedupe;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A Fellegi-Sunter match model: for every compared field and agreement level, {@code m} (the
 * probability of that level among true matches) and {@code u} (among non-matches), plus
 * {@code lambda}, the share of matches among the candidate pairs. A pair's match weight is
 * {@code Σ log2(m/u)} over its non-missing fields; its score is the posterior match probability
 * under conditional independence. Immutable.
 *
 * <p>{@link #estimate} fits the model to unlabelled candidate pairs by expectation-maximisation
 * over the distinct comparison patterns (there are few, so an iteration costs microseconds).
 * Patterns are {@code long}s with four bits per field: level + 1, or 0 when a value is missing.
 */
public record FellegiSunterModel(List<String> fields, double lambda, double[][] m, double[][] u) {
    private static final double FLOOR = 1e-6;

    public FellegiSunterModel {
        fields = List.copyOf(fields);
        m = deepCopy(m);
        u = deepCopy(u);
        if (m.length != fields.size() || u.length != fields.size()) {
            throw new IllegalArgumentException("one m and one u row per field");
        }
        if (!(lambda > 0 && lambda < 1)) {
            throw new IllegalArgumentException("lambda must be in (0, 1): " + lambda);
        }
    }

    @Override
    public double[][] m() {
        return deepCopy(m);
    }

    @Override
    public double[][] u() {
        return deepCopy(u);
    }

    /** log2(m/u) for one field at one level: the evidence that level carries. */
    public double weight(int field, int level) {
        return log2(Math.max(m[field][level], FLOOR) / Math.max(u[field][level], FLOOR));
    }

    /** Sum of field weights for a pattern. */
    public double matchWeight(long pattern) {
        double w = 0;
        for (int f = 0; f < m.length; f++) {
            int level = (int) (pattern >>> (4 * f) & 0xF) - 1;
            if (level >= 0) {
                w += weight(f, level);
            }
        }
        return w;
    }

    /** Posterior probability that a pair with this pattern is a match. */
    public double probability(long pattern) {
        double priorOdds = lambda / (1 - lambda);
        double odds = priorOdds * Math.pow(2, matchWeight(pattern));
        return Double.isInfinite(odds) ? 1.0 : odds / (1 + odds);
    }

    /**
     * Expectation-maximisation from a starting model over pattern counts. {@code fixU} keeps the
     * starting u (estimated from random pairs, which are almost all non-matches) and fits only m
     * and lambda; otherwise u is refitted on the candidate pairs too.
     */
    public FellegiSunterModel estimate(Map<Long, Long> patternCounts, int iterations, boolean fixU) {
        int fieldCount = m.length;
        long[] patterns = new long[patternCounts.size()];
        double[] counts = new double[patterns.length];
        int k = 0;
        for (Map.Entry<Long, Long> e : patternCounts.entrySet()) {
            patterns[k] = e.getKey();
            counts[k++] = e.getValue();
        }
        double lam = lambda;
        double[][] mm = deepCopy(m);
        double[][] uu = deepCopy(u);
        for (int it = 0; it < iterations; it++) {
            double[][] mSum = new double[fieldCount][];
            double[][] uSum = new double[fieldCount][];
            for (int f = 0; f < fieldCount; f++) {
                mSum[f] = new double[mm[f].length];
                uSum[f] = new double[uu[f].length];
            }
            double matched = 0;
            double total = 0;
            for (int p = 0; p < patterns.length; p++) {
                double pm = lam;
                double pu = 1 - lam;
                for (int f = 0; f < fieldCount; f++) {
                    int level = (int) (patterns[p] >>> (4 * f) & 0xF) - 1;
                    if (level >= 0) {
                        pm *= Math.max(mm[f][level], FLOOR);
                        pu *= Math.max(uu[f][level], FLOOR);
                    }
                }
                double g = pm / (pm + pu);
                matched += g * counts[p];
                total += counts[p];
                for (int f = 0; f < fieldCount; f++) {
                    int level = (int) (patterns[p] >>> (4 * f) & 0xF) - 1;
                    if (level >= 0) {
                        mSum[f][level] += g * counts[p];
                        uSum[f][level] += (1 - g) * counts[p];
                    }
                }
            }
            lam = Math.min(1 - FLOOR, Math.max(FLOOR, matched / total));
            for (int f = 0; f < fieldCount; f++) {
                mm[f] = normalized(mSum[f], mm[f]);
                if (!fixU) {
                    uu[f] = normalized(uSum[f], uu[f]);
                }
            }
        }
        return new FellegiSunterModel(fields, lam, mm, uu);
    }

    private static double[] normalized(double[] sums, double[] previous) {
        double total = Arrays.stream(sums).sum();
        if (total <= 0) {
            return previous;
        }
        double[] out = new double[sums.length];
        for (int i = 0; i < sums.length; i++) {
            out[i] = Math.max(sums[i] / total, FLOOR);
        }
        return out;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
