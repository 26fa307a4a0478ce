package io.tessera.bench;

import io.tessera.event.Event;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.ProfileEngine;
import io.tessera.profile.ProfileStore;
import io.tessera.store.sqlite.SqliteProfileStore;
import io.tessera.testkit.EventGenerator;
import io.tessera.testkit.InMemoryProfileStore;
import io.tessera.testkit.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Apply-event-to-profile throughput of one {@link ProfileEngine} on one thread (so: events/s per
 * core), in batches of {@value #BATCH} as the log delivers them. Events are realistic
 * {@link EventGenerator} histories of 5,000 users (identify, alias merges, late traits, tracks
 * with numeric properties); each lap over them gets fresh messageIds so nothing is skipped as a
 * duplicate.
 *
 * <ul>
 *   <li>{@code store=memory}: {@link InMemoryProfileStore}, the engine's own CPU cost (resolution,
 *       merges, traits, aggregates, timeline, snapshots, caches).</li>
 *   <li>{@code store=sqlite}: {@link SqliteProfileStore} on a temp file with {@code synchronous=FULL},
 *       one durable commit per batch: what the embedded server's profile stage can do.</li>
 * </ul>
 * Run: {@code bench/engine.sh} (or {@code java -jar bench/target/tessera-bench.jar ApplyEventBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class ApplyEventBenchmark {
    static final int BATCH = 1000;

    @Param({"memory", "sqlite"})
    public String store;

    private List<Event> events;
    private ProfileStore profileStore;
    private ProfileEngine engine;
    private Path tempDir;
    private long offset;
    private int cursor;
    private int lap;

    @Setup(Level.Trial)
    public void generate() {
        events = new EventGenerator(42).histories(5_000, 20);
    }

    @Setup(Level.Iteration)
    public void freshEngine() throws IOException {
        if (store.equals("sqlite")) {
            tempDir = Files.createTempDirectory("tessera-bench");
            profileStore = new SqliteProfileStore(tempDir.resolve("tessera.db"));
        } else {
            profileStore = new InMemoryProfileStore();
        }
        engine = new ProfileEngine(profileStore, new MutableClock());
        offset = 0;
        cursor = 0;
        lap = 0;
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        profileStore.close();
        if (tempDir != null) {
            try (Stream<Path> files = Files.walk(tempDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            tempDir = null;
        }
    }

    /**
     * The same work outside JMH, reporting the engine thread's CPU time per event as well: on the
     * shared machine wall-clock throughput mostly measures the neighbours, CPU time much less.
     * Args: store (memory|sqlite), seconds.
     */
    public static void main(String[] args) throws IOException {
        ApplyEventBenchmark b = new ApplyEventBenchmark();
        b.store = args.length > 0 ? args[0] : "memory";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        b.generate();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (String phase : new String[] {"warm-up", "measured"}) {
            b.freshEngine();
            long events = 0;
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long end = t0 + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                b.applyBatch();
                events += BATCH;
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpuMicros = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / events;
            b.close();
            System.out.printf("%-8s store=%-6s events/s=%,9.0f  engine-thread cpu=%6.2f us/event (=%,.0f events/s per core)%n",
                    phase, b.store, events / wall, cpuMicros, 1e6 / cpuMicros);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long applyBatch() {
        List<LoggedEvent> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            if (cursor == events.size()) {
                cursor = 0;
                lap++;
            }
            Event e = events.get(cursor++);
            if (lap > 0) {
                e = new Event(e.messageId() + "-" + lap, e.type(), e.userId(), e.anonymousId(), e.name(), e.properties(),
                        e.traits(), e.context(), e.integrations(), e.previousId(), e.groupId(), e.timestamp(),
                        e.receivedAt(), e.sentAt(), e.source());
            }
            batch.add(new LoggedEvent(0, offset++, e));
        }
        engine.onBatch(0, batch);
        return engine.eventsApplied();
    }
}
