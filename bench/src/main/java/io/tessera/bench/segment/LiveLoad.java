package io.tessera.bench.segment;

import io.tessera.event.Event;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.Profile;
import io.tessera.segment.MembershipChange;
import io.tessera.segment.SegmentEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live part of the segments benchmark: events offered at a fixed rate to the engine the way the
 * embedded log delivers them (whatever arrived since the last batch, at most 1,000 events, applied
 * one by one, then written once at {@code onBatchCommitted}), while a dedicated timer thread fires
 * due window timers every {@link SegmentEngine#TIMER_PERIOD}, as the server's timer runner does.
 * Latency of an event counts from its scheduled arrival time, so a
 * backlog shows as latency (no coordinated omission). Also measures the CPU time of both threads.
 *
 * <p>The load runs {@code warmupSeconds} at the same rate before the measured {@code seconds}: a
 * server at 10,000 events/s runs for hours, and the first seconds of a run measure the JIT compiling
 * the live path and the window timers of the set-up's histories all falling due (the warm-up's own
 * p99 is reported apart, and the worst latency of each measured second is printed).
 */
final class LiveLoad {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** What one live run measured. */
    record Result(int offered, int processed, double achieved, long[] latencies, long[] changes, long[] timerLateMs, int timersDueBeforeLive,
                  double cpuMicrosPerEvent, double applyMicrosPerEvent, double timerCpuSeconds, int batches, long[] worstChangeBySecond,
                  long[] warmupChanges) {}

    private LiveLoad() {}

    /** @param measuring called once, when the warm-up ends and the measured phase begins (on the load thread) */
    static Result run(SegmentEngine engine, SyntheticProfiles store, int rate, int warmupSeconds, int seconds, Runnable measuring)
            throws InterruptedException {
        int warm = rate * warmupSeconds;
        int total = warm + rate * seconds;
        long period = 1_000_000_000L / rate;
        long[] eventLatency = new long[total];
        long[] changeLatency = new long[rate * seconds * 8];
        long[] warmLatency = new long[warm * 8];
        int[] warmCount = {0};
        long[] timerLate = new long[4_000_000];
        int[] counts = {0, 0, 0};
        // the worst event-to-membership-change latency of the events offered in each second (where the tail is)
        long[] worst = new long[3 * seconds + 1];
        Instant liveStart = Instant.now();
        long begin = System.nanoTime() + 50_000_000L;
        Instant measuredFrom = liveStart.plusNanos(50_000_000L + warm * period);
        engine.addListener(list -> {
            long now = System.nanoTime();
            for (MembershipChange c : list) {
                if (c.cause().startsWith("timer:")) {
                    Instant due = Instant.parse(c.cause().substring(6));
                    if (due.isBefore(measuredFrom)) {
                        // due during the set-up (the timer runner starts with the live phase) or the warm-up
                        counts[2]++;
                    } else if (counts[1] < timerLate.length) {
                        // to the moment the change is durable and delivered, not to its evaluation
                        timerLate[counts[1]++] = Math.max(0, Duration.between(due, Instant.now()).toMillis());
                    }
                } else if (c.cause().startsWith("event:live")) {
                    int index = Integer.parseInt(c.cause(), 10, c.cause().length(), 10);
                    long latency = now - (begin + index * period);
                    if (index < warm) {
                        if (warmCount[0] < warmLatency.length) {
                            warmLatency[warmCount[0]++] = latency;
                        }
                    } else if (counts[0] < changeLatency.length) {
                        changeLatency[counts[0]++] = latency;
                        int second = (index - warm) / rate;
                        worst[second] = Math.max(worst[second], latency);
                    }
                }
            }
        });
        AtomicLong timerCpu = new AtomicLong();
        ScheduledExecutorService timerThread = Executors.newSingleThreadScheduledExecutor();
        timerThread.scheduleWithFixedDelay(() -> {
            long c0 = CPU.getCurrentThreadCpuTime();
            while (engine.fireDueTimers(SegmentEngine.TIMER_PAGE) == SegmentEngine.TIMER_PAGE) {
                // drain
            }
            timerCpu.addAndGet(CPU.getCurrentThreadCpuTime() - c0);
        }, SegmentEngine.TIMER_PERIOD.toMillis(), SegmentEngine.TIMER_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        Random r = new Random(7);
        int profiles = (int) store.count();
        int batches = 0;
        long cpu0 = CPU.getCurrentThreadCpuTime();
        long applyCpu = 0;
        long measuredBegin = begin + warm * period;
        boolean measured = warm == 0;
        if (measured) {
            measuring.run();
        }
        int i = 0;
        while (i < total) {
            long now = System.nanoTime();
            if (now - measuredBegin > 3L * seconds * 1_000_000_000L) {
                // Saturated: stop offering after three times the planned duration, so a run at an
                // unsustainable rate still ends; the events not offered are reported as such.
                break;
            }
            int arrived = (int) Math.min(total, Math.max(0, (now - begin) / period + 1));
            if (arrived <= i) {
                // Parked, not spinning: a spinning generator took most of one of the two cores the
                // engine, its writer and the timer runner share, whenever the engine kept up. Waking
                // late only adds to the measured latency (it counts from the scheduled arrival).
                java.util.concurrent.locks.LockSupport.parkNanos(begin + i * period - now);
                continue;
            }
            if (!measured && i >= warm) {
                // the measured phase starts: its counters from here
                measured = true;
                measuring.run();
                cpu0 = CPU.getCurrentThreadCpuTime();
                applyCpu = 0;
                batches = 0;
                timerCpu.set(0);
            }
            // a batch does not straddle the end of the warm-up
            int end = Math.min(arrived, Math.min(i + 1000, i < warm ? warm : total));
            long a0 = CPU.getCurrentThreadCpuTime();
            for (int k = i; k < end; k++) {
                int p = r.nextInt(profiles);
                Optional<Profile> before = store.get(SyntheticProfiles.id(p));
                Event e = store.append(p, k, r.nextInt(SyntheticProfiles.NAMES.size()), r.nextInt(100), r.nextInt(4), Instant.now());
                Profile after = store.get(SyntheticProfiles.id(p)).orElseThrow();
                engine.onProfileChange(before, after, new LoggedEvent(0, k, e), List.of());
            }
            applyCpu += CPU.getCurrentThreadCpuTime() - a0;
            engine.onBatchCommitted(0, end - 1);
            long done = System.nanoTime();
            for (int k = i; k < end; k++) {
                eventLatency[k] = done - (begin + k * period);
            }
            batches++;
            i = end;
        }
        int processed = Math.max(0, i - warm);
        double cpuPerEvent = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e3 / Math.max(1, processed);
        // Sustained means durable: the rate counts until the writer has committed the last batch.
        engine.awaitWritten();
        double elapsed = (System.nanoTime() - measuredBegin) / 1e9;
        timerThread.shutdown();
        timerThread.awaitTermination(30, TimeUnit.SECONDS);
        long[] done = Arrays.copyOfRange(eventLatency, warm, warm + processed);
        Arrays.sort(done);
        long[] cl = Arrays.copyOf(changeLatency, counts[0]);
        Arrays.sort(cl);
        long[] tl = Arrays.copyOf(timerLate, counts[1]);
        Arrays.sort(tl);
        long[] wl = Arrays.copyOf(warmLatency, warmCount[0]);
        Arrays.sort(wl);
        return new Result(rate * seconds, processed, processed / elapsed, done, cl, tl, counts[2], cpuPerEvent,
                applyCpu / 1e3 / Math.max(1, processed), timerCpu.get() / 1e9, batches,
                Arrays.copyOf(worst, (processed + rate - 1) / rate), wl);
    }

    /** The p-th percentile of sorted nanoseconds, in milliseconds. */
    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * (p / 100.0)))] / 1e6;
    }

    /** The p-th percentile of sorted milliseconds. */
    static long pctMs(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * (p / 100.0)))];
    }
}
