package io.tessera.server.cli;

import io.tessera.quality.dedupe.DedupeResult;
import io.tessera.quality.dedupe.DedupeSettings;
import io.tessera.quality.dedupe.Deduplicator;
import io.tessera.quality.dedupe.FieldKind;
import io.tessera.quality.dedupe.MatchPair;
import io.tessera.quality.dedupe.RecordTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera dedupe FILE.csv… --id-column ID --pairs OUT.csv}: fuzzy duplicate detection over
 * CSV person records (DESIGN.md §5). Several files are deduplicated as their union (same header).
 * Writes every pair at or above the auto-merge threshold as {@code id_a,id_b,score}, optionally the
 * review band to {@code --review-pairs}, and a summary to stderr. Exit 0 on success, 2 on bad input.
 */
@Command(name = "dedupe", mixinStandardHelpOptions = true,
        description = "Find duplicate person records in CSV files (blocking + Fellegi-Sunter scoring).")
public final class DedupeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "CSV file(s) with a header row; several are deduplicated together")
    List<Path> files;
    @Option(names = "--id-column", required = true, description = "the column holding each record's id")
    String idColumn;
    @Option(names = "--pairs", required = true, description = "where to write id_a,id_b,score for auto-merge pairs")
    Path pairs;
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
