package io.tessera.bench.segment;

import io.tessera.event.Event;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.Profile;
import io.tessera.segment.CompileVerdict;
import io.tessera.segment.MembershipChange;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The segments benchmark (issue 4): N profiles, 100 mixed segments, live events at a fixed rate.
 * Prints event-to-membership latency percentiles, timer lateness, the backfill time of one new
 * segment over all profiles, and the same run's naive baseline (each segment re-run as a SQL
 * query over an SQLite events table) with the ratio. Usage:
 * {@code java -cp tessera-bench.jar io.tessera.bench.segment.SegmentBench [profiles] [events/s] [seconds]}.
 */
public final class SegmentBench {
    private SegmentBench() {}

    public static void main(String[] args) throws Exception {
        int profiles = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Path dir = Files.createTempDirectory("tessera-segment-bench");
        InstantSource clock = InstantSource.system();
        Instant start = clock.instant();
        SyntheticProfiles store = new SyntheticProfiles(profiles, start);
        Path db = dir.resolve("tessera.db");
        try (SqliteMembershipStore memberships = new SqliteMembershipStore(db);
             SqliteWindowTimerStore timers = new SqliteWindowTimerStore(db);
             SqliteSegmentDefinitionStore definitions = new SqliteSegmentDefinitionStore(db)) {
            SegmentEngine engine = new SegmentEngine(store, memberships, timers, ProfileScores.none(), clock, 300_000);
            List<BenchSegments.Spec> specs = BenchSegments.mixed(100, 42);
            SegmentCompiler compiler = new SegmentCompiler();
            SegmentCatalog catalog = SegmentCatalog.EMPTY;
            for (BenchSegments.Spec s : specs) {
                var v = (CompileVerdict.Compiled) compiler.compile(new SegmentDefinition(s.key(), s.key(), s.cel(), 1, start));
                catalog = catalog.with(v.segment()).catalog().orElseThrow();
            }
            engine.setCatalog(catalog);
            System.out.printf("profiles=%d segments=%d rate=%d/s duration=%ds%n", profiles, specs.size(), rate, seconds);

            long t0 = System.nanoTime();
            Set<String> all = new HashSet<>(catalog.keys());
            String after = "";
            List<String> ids;
            while (!(ids = store.ids(after, 1000)).isEmpty()) {
                engine.evaluatePage(all, ids, "initial");
                after = ids.get(ids.size() - 1);
            }
            System.out.printf("initial evaluation of all segments over all profiles: %.1f s%n", (System.nanoTime() - t0) / 1e9);
            engine.dropCache();

            live(engine, store, rate, seconds);

            SegmentRegistry registry = new SegmentRegistry(definitions, memberships, engine, store, clock, Runnable::run);
            long b0 = System.nanoTime();
            SaveVerdict saved = registry.save("backfill_probe", "Backfill probe",
                    "count(\"Search\", duration(\"48h\")) > 0 && traits.plan == \"pro\"");
            double backfill = (System.nanoTime() - b0) / 1e9;
            System.out.printf("backfill of one new segment over %d profiles: %.1f s (%s, %d members)%n", profiles, backfill,
                    ((SaveVerdict.Saved) saved).backfill().status(), memberships.count("backfill_probe"));

            naive(dir, store, specs, profiles);
        }
    }

    private static void live(SegmentEngine engine, SyntheticProfiles store, int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        long period = 1_000_000_000L / rate;
        long[] eventLatency = new long[total];
        long[] changeLatency = new long[total * 4];
        int[] changes = {0};
        List<Long> timerLateness = java.util.Collections.synchronizedList(new ArrayList<>());
        long begin = System.nanoTime() + 50_000_000L;
        engine.addListener(list -> {
            long now = System.nanoTime();
            for (MembershipChange c : list) {
                if (c.cause().startsWith("timer:")) {
                    Instant due = Instant.parse(c.cause().substring(6));
                    timerLateness.add(Math.max(0, java.time.Duration.between(due, c.at()).toMillis()));
                } else if (c.cause().startsWith("event:live") && changes[0] < changeLatency.length) {
                    int index = Integer.parseInt(c.cause(), 10, c.cause().length(), 10);
                    changeLatency[changes[0]++] = now - (begin + index * period);
                }
            }
        });
        ScheduledExecutorService timerThread = Executors.newSingleThreadScheduledExecutor();
        timerThread.scheduleWithFixedDelay(() -> {
            while (engine.fireDueTimers(500) == 500) {
                // drain
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
        Random r = new Random(7);
        int profiles = (int) store.count();
        int batches = 0;
        // Like the embedded log: whatever has arrived since the last batch is the next batch (at
        // most 1,000 events), applied event by event, then written once at onBatchCommitted.
        for (int i = 0; i < total; ) {
            long now = System.nanoTime();
            int arrived = (int) Math.min(total, Math.max(0, (now - begin) / period + 1));
            if (arrived <= i) {
                long wait = begin + i * period - now;
                if (wait > 200_000) {
                    Thread.sleep(0, 100_000);
                } else {
                    Thread.onSpinWait();
                }
                continue;
            }
            int end = Math.min(arrived, i + 1000);
            for (int k = i; k < end; k++) {
                int p = r.nextInt(profiles);
                Event e = Event.track("live" + k, "u" + p, SyntheticProfiles.NAMES.get(r.nextInt(SyntheticProfiles.NAMES.size())),
                        Map.of("revenue", r.nextInt(100), "category", SyntheticProfiles.CATEGORIES.get(r.nextInt(4))), Instant.now());
                Optional<Profile> before = store.get(SyntheticProfiles.id(p));
                Profile after = store.append(p, e, k);
                engine.onProfileChange(before, after, new LoggedEvent(0, k, e), List.of());
            }
            engine.onBatchCommitted(0, end - 1);
            long done = System.nanoTime();
            for (int k = i; k < end; k++) {
                eventLatency[k] = done - (begin + k * period);
            }
            batches++;
            i = end;
        }
        System.out.printf("live: %d engine batches, %.0f events per batch on average%n", batches, total / (double) batches);
        double elapsed = (System.nanoTime() - begin) / 1e9;
        timerThread.shutdown();
        timerThread.awaitTermination(10, TimeUnit.SECONDS);
        Arrays.sort(eventLatency);
        long[] cl = Arrays.copyOf(changeLatency, changes[0]);
        Arrays.sort(cl);
        System.out.printf("live: %d events in %.1f s (%.0f/s achieved)%n", total, elapsed, total / elapsed);
        System.out.printf("event processed latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                pct(eventLatency, 50), pct(eventLatency, 99), eventLatency[total - 1] / 1e6);
        System.out.printf("event-to-membership-change latency (%d changes): p50 %.2f ms, p99 %.2f ms%n",
                cl.length, pct(cl, 50), pct(cl, 99));
        long[] tl = timerLateness.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("window timers fired during load: %d, lateness p50 %d ms, p99 %d ms, max %d ms%n", tl.length,
                tl.length == 0 ? 0 : tl[tl.length / 2], tl.length == 0 ? 0 : tl[(int) (tl.length * 0.99)], tl.length == 0 ? 0 : tl[tl.length - 1]);
        LAST_P99_MS = pct(cl, 99);
    }

    private static double LAST_P99_MS;

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * (p / 100.0)))] / 1e6;
    }

    private static void naive(Path dir, SyntheticProfiles store, List<BenchSegments.Spec> specs, int profiles) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("naive.db"))) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("CREATE TABLE events (profile_id TEXT, name TEXT, ts INTEGER, revenue REAL, category TEXT)");
                s.execute("CREATE TABLE profiles (profile_id TEXT PRIMARY KEY, plan TEXT)");
            }
            long l0 = System.nanoTime();
            c.setAutoCommit(false);
            try (PreparedStatement ev = c.prepareStatement("INSERT INTO events VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement pr = c.prepareStatement("INSERT INTO profiles VALUES (?, ?)")) {
                for (int i = 0; i < profiles; i++) {
                    String id = SyntheticProfiles.id(i);
                    pr.setString(1, id);
                    pr.setString(2, SyntheticProfiles.plan(i));
                    pr.addBatch();
                    for (Event e : store.history(id)) {
                        ev.setString(1, id);
                        ev.setString(2, e.name());
                        ev.setLong(3, e.timestamp().toEpochMilli());
                        ev.setDouble(4, ((Number) e.properties().get("revenue")).doubleValue());
                        ev.setString(5, (String) e.properties().get("category"));
                        ev.addBatch();
                    }
                    if (i % 10_000 == 0) {
                        pr.executeBatch();
                        ev.executeBatch();
                    }
                }
                pr.executeBatch();
                ev.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE INDEX events_name_ts ON events(name, ts)");
                s.execute("CREATE INDEX events_ts ON events(ts)");
            }
            System.out.printf("naive: loaded the events table in %.1f s%n", (System.nanoTime() - l0) / 1e9);
            long q0 = System.nanoTime();
            long rows = 0;
            long now = System.currentTimeMillis();
            for (BenchSegments.Spec spec : specs) {
                try (PreparedStatement q = c.prepareStatement(spec.sql())) {
                    q.setLong(1, now);
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            rows++;
                        }
                    }
                }
            }
            double cycle = (System.nanoTime() - q0) / 1e9;
            System.out.printf("naive: one refresh of all %d segments as SQL queries: %.1f s (%d member rows)%n", specs.size(), cycle, rows);
            System.out.printf("naive event-to-membership latency is at least one refresh cycle: %.0f ms; ratio to incremental p99: %.0fx%n",
                    cycle * 1000, cycle * 1000 / Math.max(LAST_P99_MS, 0.001));
        }
    }
}
