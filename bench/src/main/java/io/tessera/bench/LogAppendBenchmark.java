package io.tessera.bench;

import io.tessera.event.Event;
import io.tessera.event.EventLog.KeyedEvent;
import io.tessera.log.sqlite.SqliteEventLog;
import io.tessera.testkit.EventGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Durable append throughput of {@link SqliteEventLog} with group commit: N concurrent appenders
 * (like N in-flight HTTP requests), each appending batches of 100 realistic events and waiting
 * for the acknowledgement before sending the next, for a fixed time. Prints events/s acknowledged
 * (every one fsynced, {@code synchronous=FULL}), the p50/p99 append latency per batch, and the
 * process CPU time per event (encoding included), which stays meaningful on a loaded machine.
 *
 * <p>Plain Java rather than JMH: the figure is a closed-loop system throughput with a background
 * writer thread, which JMH's per-invocation model does not describe well.
 * Run: {@code java -cp bench/target/tessera-bench.jar io.tessera.bench.LogAppendBenchmark [seconds] [appenders…]}.
 */
public final class LogAppendBenchmark {
    private static final int BATCH = 100;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int[] appenderCounts = args.length > 1
                ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 4, 16, 64};
        List<Event> events = new EventGenerator(7).histories(2_000, 25);
        System.out.printf("SqliteEventLog append, batches of %d events, %d s per run, synchronous=FULL%n", BATCH, seconds);
        run(events, 4, 3, false); // warm-up
        for (int appenders : appenderCounts) {
            run(events, appenders, seconds, true);
        }
    }

    /** CPU time of this process (all threads: appenders encoding, writer, GC); load-independent. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void run(List<Event> events, int appenders, int seconds, boolean print) throws Exception {
        Path dir = Files.createTempDirectory("tessera-log-bench");
        LongAdder acknowledged = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        List<long[]> latencies = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(appenders);
        long start;
        long cpuStart = processCpuNanos();
        try (SqliteEventLog log = new SqliteEventLog(dir.resolve("events.db"))) {
            start = System.nanoTime();
            for (int a = 0; a < appenders; a++) {
                long[] lat = new long[1 << 20];
                latencies.add(lat);
                int id = a;
                Thread.ofPlatform().start(() -> {
                    int n = 0;
                    long seq = 0;
                    while (running.get()) {
                        List<KeyedEvent> batch = new ArrayList<>(BATCH);
                        for (int i = 0; i < BATCH; i++) {
                            Event e = events.get((int) ((seq * 31 + i + id * 977L) % events.size()));
                            Event unique = new Event(e.messageId() + ":" + id + ":" + seq + ":" + i, e.type(), e.userId(),
                                    e.anonymousId(), e.name(), e.properties(), e.traits(), e.context(), e.integrations(),
                                    e.previousId(), e.groupId(), e.timestamp(), e.receivedAt(), e.sentAt(), e.source());
                            batch.add(new KeyedEvent(e.userId().or(e::anonymousId).orElse("?"), unique));
                        }
                        seq++;
                        long t0 = System.nanoTime();
                        log.append(batch).join();
                        if (n < lat.length) {
                            lat[n++] = System.nanoTime() - t0;
                        }
                        acknowledged.add(BATCH);
                    }
                    lat[lat.length - 1] = n;
                    done.countDown();
                });
            }
            Thread.sleep(seconds * 1000L);
            running.set(false);
            done.await();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpuMicrosPerEvent = (processCpuNanos() - cpuStart) / 1e3 / acknowledged.sum();
        if (print) {
            long[] all = latencies.stream().flatMapToLong(l -> Arrays.stream(l, 0, (int) l[l.length - 1])).sorted().toArray();
            System.out.printf("appenders=%3d  events/s=%,9.0f  batch p50=%6.2f ms  p99=%7.2f ms  cpu=%5.2f us/event (=%,.0f events/s per busy core)%n",
                    appenders, acknowledged.sum() / elapsed, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6,
                    cpuMicrosPerEvent, 1e6 / cpuMicrosPerEvent);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
