package io.tessera.bench.segment;

import io.tessera.segment.CompileVerdict;
import io.tessera.segment.MembershipWriter;
import io.tessera.segment.ProfileScores;
import io.tessera.segment.SaveVerdict;
import io.tessera.segment.SegmentCatalog;
import io.tessera.segment.SegmentCompiler;
import io.tessera.segment.SegmentDefinition;
import io.tessera.segment.SegmentEngine;
import io.tessera.segment.SegmentRegistry;
import io.tessera.store.sqlite.SqliteMembershipStore;
import io.tessera.store.sqlite.SqliteSegmentDefinitionStore;
import io.tessera.store.sqlite.SqliteWindowTimerStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The segments benchmark (issue 4): N profiles, 100 mixed segments, live events at a fixed rate.
 * Prints the initial evaluation, event-to-membership latency percentiles, timer lateness, the
 * backfill of one new segment (over a new aggregate, so every profile's history is read) over all
 * profiles, and the same run's naive baseline (each segment re-run as a SQL query over an SQLite
 * events table) with the ratio. Profiles are synthetic and generated in memory from their number
 * (not loaded through HTTP or the profile engine): the benchmark measures the segment engine and
 * its SQLite membership and timer stores. The event path is the segment engine's alone: no event
 * log append, no profile commit (the synthetic store appends in memory); a membership change counts
 * as made when the writer has committed it and delivered it to the listeners. The backfill is also
 * timed over a real SQLite profile store holding the same base histories ({@link SqliteStoreBackfill}).
 * Usage: {@code java -cp tessera-bench.jar io.tessera.bench.segment.SegmentBench [profiles] [events/s] [seconds] [all|backfill|live]}
 * ({@code backfill}: set-up, initial evaluation and the backfills only; {@code live}: set-up, initial
 * evaluation and the live phase only).
 */
public final class SegmentBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private SegmentBench() {}

    public static void main(String[] args) throws Exception {
        int profiles = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        // seconds of live load at the same rate before the measured phase (LiveLoad)
        int warmup = Integer.getInteger("bench.warmup", 10);
        boolean backfillOnly = args.length > 3 && args[3].equals("backfill");
        boolean liveOnly = args.length > 3 && args[3].equals("live");
        long run0 = System.nanoTime();
        Path dir = Files.createTempDirectory("tessera-segment-bench");
        InstantSource clock = InstantSource.system();
        Instant start = clock.instant();
        SyntheticProfiles store = new SyntheticProfiles(profiles, start);
        Path db = dir.resolve("tessera.db");
        System.out.printf("load average at start: %.2f; garbage collectors: %s; JVM options: %s%n", loadAverage(),
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(java.lang.management.GarbageCollectorMXBean::getName).toList(),
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-X")).toList());
        try (SqliteMembershipStore memberships = new SqliteMembershipStore(db);
             SqliteWindowTimerStore timers = new SqliteWindowTimerStore(db);
             SqliteSegmentDefinitionStore definitions = new SqliteSegmentDefinitionStore(db)) {
            // Every profile's window state fits in the cache: the engine runs warm, as after start-up.
            // Writes go behind the engine on their own thread, as in SegmentFeature.
            Thread[] writerThread = new Thread[1];
            ExecutorService writes = Executors.newSingleThreadExecutor(r -> writerThread[0] = new Thread(r, "segment-writer"));
            MembershipWriter writer = new MembershipWriter(memberships, timers, writes, 100_000);
            SegmentEngine engine = new SegmentEngine(store, writer, timers, ProfileScores.none(), clock, profiles + 1_000);
            List<BenchSegments.Spec> specs = BenchSegments.mixed(100, 42);
            SegmentCompiler compiler = new SegmentCompiler();
            SegmentCatalog catalog = SegmentCatalog.EMPTY;
            for (BenchSegments.Spec s : specs) {
                var v = (CompileVerdict.Compiled) compiler.compile(new SegmentDefinition(s.key(), s.key(), s.cel(), 1, start));
                catalog = catalog.with(v.segment()).catalog().orElseThrow();
            }
            engine.setCatalog(catalog);
            System.out.printf("profiles=%d segments=%d rate=%d/s duration=%ds (after %d s of warm-up)%n", profiles, specs.size(), rate, seconds, warmup);

            long t0 = System.nanoTime();
            long c0 = CPU.getCurrentThreadCpuTime();
            Set<String> all = new HashSet<>(catalog.keys());
            String after = "";
            List<String> ids;
            long p0 = processCpu();
            while (!(ids = store.ids(after, 1000)).isEmpty()) {
                engine.evaluatePage(all, ids, "initial");
                after = ids.get(ids.size() - 1);
            }
            engine.awaitWritten();
            System.out.printf("initial evaluation, all 100 segments in one pass over all profiles: %.1f s (%.1f µs CPU a profile on this thread, %.1f µs in the process), %d memberships%n",
                    (System.nanoTime() - t0) / 1e9, (CPU.getCurrentThreadCpuTime() - c0) / 1e3 / profiles, (processCpu() - p0) / 1e3 / profiles,
                    totalMembers(memberships, specs));
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("heap in use with every profile's window state cached: %.0f MB%n", (rt.totalMemory() - rt.freeMemory()) / 1e6);

            if (backfillOnly) {
                backfill(engine, store, memberships, timers, definitions, db, clock, profiles);
                writes.shutdown();
                return;
            }
            System.out.printf("load average before live: %.2f%n", loadAverage());
            // the measured phase's counters start when the warm-up ends
            long[] at = new long[3];
            GcWatch[] gc = new GcWatch[1];
            io.tessera.store.sqlite.WalResets[] resets = new io.tessera.store.sqlite.WalResets[1];
            LiveLoad.Result live = LiveLoad.run(engine, store, rate, warmup, seconds, () -> {
                at[0] = CPU.getThreadCpuTime(writerThread[0].threadId());
                at[1] = writer.groups();
                at[2] = bytesWritten();
                gc[0] = GcWatch.start();
                resets[0] = memberships.walResets();
            });
            report(live, rate, warmup);
            System.out.println(gc[0].report(live.processed()));
            System.out.printf("writer thread (group commits behind the engine): %.1f µs CPU an event, %d group commits (%.0f events a commit)%n",
                    (CPU.getThreadCpuTime(writerThread[0].threadId()) - at[0]) / 1e3 / Math.max(1, live.processed()),
                    writer.groups() - at[1], live.processed() / (double) Math.max(1, writer.groups() - at[1]));
            System.out.printf("bytes written by the process during the live phase (WAL and checkpoints): %.1f KB an event%n",
                    (bytesWritten() - at[2]) / 1e3 / Math.max(1, live.processed()));
            io.tessera.store.sqlite.WalResets r = memberships.walResets();
            long n = r.count() - resets[0].count();
            System.out.printf("WAL resets during the live phase: %d, holding the writes %.1f ms each on average (the longest of the whole run: %.1f ms)%n",
                    n, (r.heldNanos() - resets[0].heldNanos()) / 1e6 / Math.max(1, n), r.longestNanos() / 1e6);
            if (liveOnly) {
                // the timer runner may have queued writes after the live phase's last wait
                engine.awaitWritten();
                writes.shutdown();
                writes.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
                return;
            }

            // The backfill is timed on its own: first the live phase's writes are finished (LiveLoad
            // waited for the group commits) and its member rows materialized, which would otherwise
            // run on the other core during the backfill (they settle 30 s after their last change).
            long m0 = System.nanoTime();
            memberships.count("backfill_probe");
            System.out.printf("materializing the live phase's current-member rows before the backfill: %.1f s%n", (System.nanoTime() - m0) / 1e9);
            backfill(engine, store, memberships, timers, definitions, db, clock, profiles);

            NaiveRefresh.Result naive = NaiveRefresh.run(dir, store, specs, profiles);
            double p99 = LiveLoad.pct(live.changes(), 99);
            System.out.printf("naive: loaded the events table in %.1f s; one refresh of all %d segments as SQL queries: %.1f s (%d member rows)%n",
                    naive.loadSeconds(), specs.size(), naive.refreshSeconds(), naive.rows());
            System.out.printf("naive event-to-membership latency is at least one refresh cycle: %.0f ms; ratio to incremental p99 (%.2f ms): %.0fx%n",
                    naive.refreshSeconds() * 1000, p99, naive.refreshSeconds() * 1000 / Math.max(p99, 0.001));
            writes.shutdown();
        } finally {
            // someone else's clean-up of /tmp may have removed it already (seen on the shared machine)
            if (Files.isDirectory(dir)) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        System.out.printf("load average at end: %.2f; whole run %.0f s%n", loadAverage(), (System.nanoTime() - run0) / 1e9);
    }

    /**
     * Saves one new segment over a new aggregate and times its backfill over every profile: over
     * the synthetic store (histories generated in memory: the engine's own cost), then over a real
     * SQLite profile store holding the same base histories ({@link SqliteStoreBackfill}).
     */
    private static void backfill(SegmentEngine engine, SyntheticProfiles store, SqliteMembershipStore memberships,
                                 SqliteWindowTimerStore timers, SqliteSegmentDefinitionStore definitions, Path db,
                                 InstantSource clock, int profiles) {
        String condition = "sum(\"Order Completed\", \"revenue\", duration(\"72h\")) > 60.0 && traits.plan == \"pro\"";
        SegmentRegistry registry = new SegmentRegistry(definitions, memberships, engine, store, clock, Runnable::run);
        profiled("", () -> {
            long b0 = System.nanoTime();
            long bc0 = processCpu();
            SaveVerdict saved = registry.save("backfill_probe", "Backfill probe", condition);
            double backfill = (System.nanoTime() - b0) / 1e9;
            System.out.printf("backfill of one new segment (a new aggregate: every history read) over %d synthetic profiles (histories generated in memory, no storage read): %.1f s, %.1f µs process CPU a profile (%s, %d members)%n",
                    profiles, backfill, (processCpu() - bc0) / 1e3 / profiles,
                    ((SaveVerdict.Saved) saved).backfill().status(), memberships.count("backfill_probe"));
        });
        SqliteStoreBackfill.run(db, store, profiles, engine.catalog(), memberships, timers, definitions, clock,
                "backfill_probe_sqlite", condition, r -> profiled(".sqlite", r));
    }

    /** -Dbench.jfr=FILE records a backfill alone (profile settings) into FILE + suffix, for `jfr view hot-methods`. */
    static void profiled(String suffix, Runnable run) {
        Optional<jdk.jfr.Recording> jfr = Optional.ofNullable(System.getProperty("bench.jfr")).map(f -> record(f + suffix));
        run.run();
        jfr.ifPresent(r -> {
            r.stop(); // writes the destination
            r.close();
        });
    }

    private static jdk.jfr.Recording record(String file) {
        try {
            jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            r.setDestination(Path.of(file));
            r.start();
            return r;
        } catch (java.io.IOException | java.text.ParseException e) {
            throw new IllegalStateException("cannot record " + file, e);
        }
    }

    private static void report(LiveLoad.Result r, int rate, int warmup) {
        long[] e = r.latencies();
        if (warmup > 0) {
            System.out.printf("warm-up: %d s at the same rate before the measured phase (not in the figures below): event-to-membership-change p50 %.2f ms, p99 %.2f ms%n",
                    warmup, LiveLoad.pct(r.warmupChanges(), 50), LiveLoad.pct(r.warmupChanges(), 99));
        }
        long[] c = r.changes();
        long[] t = r.timerLateMs();
        System.out.printf("live: offered %d ev/s, sustained %.0f ev/s (%d of %d events processed, %d engine batches), engine thread CPU %.1f µs an event (%.1f applying and evaluating, the rest handing over), timer thread CPU %.1f s%n",
                rate, r.achieved(), r.processed(), r.offered(), r.batches(),
                r.cpuMicrosPerEvent(), r.applyMicrosPerEvent(), r.timerCpuSeconds());
        System.out.printf("event applied (handed to the writer) latency: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                LiveLoad.pct(e, 50), LiveLoad.pct(e, 99), LiveLoad.pct(e, 99.9), e.length == 0 ? 0 : e[e.length - 1] / 1e6);
        System.out.printf("event-to-membership-change latency (%d changes): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms%n",
                c.length, LiveLoad.pct(c, 50), LiveLoad.pct(c, 99), LiveLoad.pct(c, 99.9));
        System.out.printf("worst event-to-membership-change latency of the events of each second of the live phase (ms): %s%n",
                java.util.Arrays.stream(r.worstChangeBySecond()).mapToObj(w -> String.valueOf(w / 1_000_000)).collect(java.util.stream.Collectors.joining(" ")));
        System.out.printf("window timers due during load: %d changes, lateness p50 %d ms, p99 %d ms, max %d ms "
                        + "(plus %d changes by timers that fell due before the measured phase)%n",
                t.length, LiveLoad.pctMs(t, 50), LiveLoad.pctMs(t, 99), t.length == 0 ? 0 : t[t.length - 1], r.timersDueBeforeLive());
    }

    private static long totalMembers(SqliteMembershipStore memberships, List<BenchSegments.Spec> specs) {
        return specs.stream().mapToLong(s -> memberships.count(s.key())).sum();
    }

    /** CPU time of the whole process (all threads: the fork-join workers of a backfill, the writer). */
    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Bytes the process has passed to write calls ({@code wchar} of /proc/self/io; 0 where there is none). */
    private static long bytesWritten() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("wchar:")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
