package io.tessera.server.segment;

import io.tessera.segment.SegmentEngine;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fires due window timers: every {@code period} ({@link SegmentEngine#TIMER_PERIOD} in the server),
 * drains the due timers in pages — only those of the log partitions
 * {@code owned} names (empty: all; in the cluster, the partitions this node owns, so each timer
 * fires on one node and moves with its partition). One daemon thread; {@link #close} stops it.
 */
public final class WindowTimerRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WindowTimerRunner.class);
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "segment-timers");
        t.setDaemon(true);
        return t;
    });

    public WindowTimerRunner(SegmentEngine engine, Duration period,
                             java.util.function.Supplier<java.util.Optional<java.util.Set<Integer>>> owned) {
        thread.scheduleWithFixedDelay(() -> {
            try {
                while (engine.fireDueTimers(SegmentEngine.TIMER_PAGE, owned) == SegmentEngine.TIMER_PAGE) {
                    // more are due: keep draining
                }
            } catch (RuntimeException e) {
                // An outage (e.g. the database): the timers stay due and are retried next period.
                LOG.error("firing window timers failed; retrying in {}", period, e);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
