package io.tessera.server.cli;

import io.tessera.quality.dedupe.DedupeResult;
import io.tessera.quality.dedupe.DedupeSettings;
import io.tessera.quality.dedupe.Deduplicator;
import io.tessera.quality.dedupe.FieldKind;
import io.tessera.quality.dedupe.MatchPair;
import io.tessera.quality.dedupe.ProfileDedupe;
import io.tessera.quality.dedupe.RecordTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import io.tessera.server.ConfigLoader;
import io.tessera.server.Tessera;
import io.tessera.server.TesseraConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera dedupe FILE.csv… --id-column ID --pairs OUT.csv}: fuzzy duplicate detection over
 * CSV person records (DESIGN.md §5); {@code tessera dedupe --profiles [--data-dir DIR] [--dry-run]}: the
 * same over the stored profiles, acting on them as {@code POST /api/v1/dedupe/run} does. Several files are deduplicated as their union (same header).
 * Writes every pair at or above the auto-merge threshold as {@code id_a,id_b,score}, optionally the
 * review band to {@code --review-pairs}, and a summary to stderr. Exit 0 on success, 2 on bad input.
 */
@Command(name = "dedupe", mixinStandardHelpOptions = true,
        description = "Find duplicate person records in CSV files (blocking + Fellegi-Sunter scoring).")
public final class DedupeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "CSV file(s) with a header row; several are deduplicated together")
    List<Path> files = List.of();
    @Option(names = "--id-column", description = "the column holding each record's id (with FILE)")
    String idColumn;
    @Option(names = "--pairs", description = "where to write id_a,id_b,score for auto-merge pairs (required with FILE)")
    Path pairs;
    @Option(names = "--profiles", description = "instead of files: the profiles in the store of --data-dir; merges the auto-merge pairs "
            + "(alias events in the log, reversible) and queues the review pairs, as POST /api/v1/dedupe/run does")
    boolean profiles;
    @Option(names = "--dry-run", description = "with --profiles: only report")
    boolean dryRun;
    @Option(names = "--data-dir", description = "with --profiles: the data directory (default ./tessera-data)")
    Optional<Path> dataDir;
    @Option(names = "--config", description = "with --profiles: configuration file (tessera.yaml)")
    Optional<Path> config;
    @Option(names = "--review-pairs", description = "where to write the pairs between the review and auto-merge thresholds")
    Optional<Path> reviewPairs;
    @Option(names = "--auto-merge", defaultValue = "0.9", description = "auto-merge threshold on the match probability (default ${DEFAULT-VALUE})")
    double autoMerge;
    @Option(names = "--review", defaultValue = "0.5", description = "review threshold on the match probability (default ${DEFAULT-VALUE})")
    double review;
    @Option(names = "--field", description = "COLUMN=KIND, overriding the kind guessed from the column name; kinds: ${COMPLETION-CANDIDATES}")
    Map<String, FieldKind> kinds = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!(review > 0 && review <= autoMerge && autoMerge <= 1)) {
            err.println("dedupe: need 0 < --review <= --auto-merge <= 1");
            return 2;
        }
        if (profiles) {
            return files.isEmpty() ? dedupeProfiles(err) : usage(err, "give FILE… or --profiles, not both");
        }
        if (files.isEmpty() || idColumn == null || pairs == null) {
            return usage(err, "give FILE… with --id-column and --pairs, or --profiles");
        }
        long started = System.nanoTime();
        RecordTable table = null;
        for (Path file : files) {
            RecordTable.Result read;
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                read = RecordTable.fromCsv(r, idColumn);
            }
            if (read.table().isEmpty()) {
                read.problems().stream().limit(20).forEach(p -> err.println(file + ":" + p.line() + ": " + p.message()));
                return 2;
            }
            RecordTable t = read.table().get();
            if (table != null && !table.columns().equals(t.columns())) {
                err.println(file + ": its columns " + t.columns() + " differ from " + table.columns());
                return 2;
            }
            table = table == null ? t : table.concat(t);
        }
        for (String c : kinds.keySet()) {
            if (!table.columns().contains(c)) {
                err.println("dedupe: --field " + c + " is not a column; columns: " + table.columns());
                return 2;
            }
        }
        DedupeResult result = new Deduplicator(DedupeSettings.defaults().withKinds(kinds).withThresholds(autoMerge, review)).run(table);
        write(pairs, result.autoMerge());
        if (reviewPairs.isPresent()) {
            write(reviewPairs.get(), result.review());
        }
        err.printf(Locale.ROOT, "dedupe: %d records, %d candidate pairs, %d auto-merge pairs (>= %.2f), %d to review, %.2f s%n",
                table.size(), result.candidatePairs(), result.autoMerge().size(), autoMerge, result.review().size(),
                (System.nanoTime() - started) / 1e9);
        err.println("dedupe: fields " + result.kinds() + "; blocking " + result.blockingKeys()
                + (result.skippedBlocks() > 0 ? "; " + result.skippedBlocks() + " oversized blocks skipped" : ""));
        return 0;
    }

    private static int usage(PrintWriter err, String message) {
        err.println("dedupe: " + message);
        return 2;
    }

    /** {@code --profiles}: the stored profiles of a data directory, through a Tessera that processes the log meanwhile. */
    private int dedupeProfiles(PrintWriter err) throws IOException {
        TesseraConfig c = ConfigLoader.forCommand(config, dataDir);
        long started = System.nanoTime();
        try (Tessera tessera = new Tessera(c).startProcessing()) {
            tessera.awaitProfilesCurrent(Duration.ofMinutes(30));
            ProfileDedupe.Run run = tessera.dedupe().run(DedupeSettings.defaults().withKinds(kinds).withThresholds(autoMerge, review), !dryRun);
            tessera.awaitProfilesCurrent(Duration.ofMinutes(30));
            Map<ProfileDedupe.Outcome, Long> counts = new java.util.EnumMap<>(ProfileDedupe.Outcome.class);
            run.actions().forEach(a -> counts.merge(a.outcome(), 1L, Long::sum));
            if (pairs != null) {
                write(pairs, run.actions().stream().map(ProfileDedupe.Action::pair)
                        .filter(p -> p.decision() == MatchPair.Decision.AUTO_MERGE).toList());
            }
            err.printf(Locale.ROOT, "dedupe: %d profiles, %d candidate pairs, %s; %d profiles now, %.2f s%n", run.profiles(),
                    run.candidatePairs(), counts.toString().toLowerCase(Locale.ROOT), tessera.profiles().count(),
                    (System.nanoTime() - started) / 1e9);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static void write(Path out, List<MatchPair> pairs) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("id_a,id_b,score\n");
            for (MatchPair p : pairs) {
                w.write(csv(p.idA()) + "," + csv(p.idB()) + "," + String.format(Locale.ROOT, "%.6f", p.score()) + "\n");
            }
        }
    }

    private static String csv(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
