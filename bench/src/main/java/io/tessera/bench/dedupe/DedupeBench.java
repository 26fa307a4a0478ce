package io.tessera.bench.dedupe;

import io.tessera.quality.CsvRecords;
import io.tessera.quality.dedupe.LinkageQuality;
import io.tessera.quality.dedupe.MatchPair;
import io.tessera.server.Main;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Runs {@code tessera dedupe} (the real CLI, in process) on FEBRL 1, 2, 3, 4a+4b and on a seeded
 * 100,000-record file, and prints precision, recall and F1 of the auto-merge pairs against the
 * true pairs, with the wall and process CPU time of each run (read CSV, dedupe, write pairs).
 * Usage: {@code DedupeBench FEBRL_DIR WORK_DIR}.
 */
public final class DedupeBench {
    private DedupeBench() {}

    public static void main(String[] args) throws Exception {
        Path febrl = Path.of(args[0]);
        Path work = Files.createDirectories(Path.of(args[1]));
        Path big = work.resolve("people-100k.csv");
        new PersonRecords(febrl, 20261129L).write(big, 70_000, 30_000);
        System.out.printf(Locale.ROOT, "%-22s %8s %10s %10s %8s %8s %8s%n", "data set", "records", "precision", "recall", "F1", "wall s", "cpu s");
        run("FEBRL 1", work, febrl.resolve("dataset1.csv"));
        run("FEBRL 2", work, febrl.resolve("dataset2.csv"));
        run("FEBRL 3", work, febrl.resolve("dataset3.csv"));
        run("FEBRL 4 (4a+4b)", work, febrl.resolve("dataset4a.csv"), febrl.resolve("dataset4b.csv"));
        run("generated 100k", work, big);
    }

    private static void run(String name, Path work, Path... inputs) throws Exception {
        Path out = work.resolve("pairs.csv");
        List<String> args = new ArrayList<>(List.of("dedupe"));
        List<String> ids = new ArrayList<>();
        for (Path in : inputs) {
            args.add(in.toString());
            try (Reader r = Files.newBufferedReader(in)) {
                List<CsvRecords.Row> rows = CsvRecords.read(r);
                rows.subList(1, rows.size()).forEach(row -> ids.add(row.cells().getFirst().strip()));
            }
        }
        args.addAll(List.of("--id-column", "rec_id", "--pairs", out.toString()));
        CommandLine cli = new CommandLine(new Main());
        StringWriter log = new StringWriter();
        cli.setErr(new PrintWriter(log, true));
        long started = System.nanoTime();
        long cpuStarted = cpuNanos();
        int exit = cli.execute(args.toArray(String[]::new));
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = (cpuNanos() - cpuStarted) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException(name + ": dedupe failed: " + log);
        }
        List<MatchPair> pairs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(out)) {
            List<CsvRecords.Row> rows = CsvRecords.read(r);
            for (CsvRecords.Row row : rows.subList(1, rows.size())) {
                List<String> c = row.cells();
                pairs.add(new MatchPair(c.get(0), c.get(1), 0, 0, Double.parseDouble(c.get(2)), MatchPair.Decision.AUTO_MERGE));
            }
        }
        LinkageQuality q = LinkageQuality.of(pairs, ids, LinkageQuality::febrlEntity);
        System.out.printf(Locale.ROOT, "%-22s %8d %10.4f %10.4f %8.4f %8.2f %8.2f%n", name, ids.size(), q.precision(), q.recall(), q.f1(), seconds, cpu);
    }

    /** CPU time of the whole process (all threads), to read wall times on a shared, loaded machine. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
