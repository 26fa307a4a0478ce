package io.tessera.testkit;

import io.tessera.event.EventBatchHandler;
import io.tessera.event.LoggedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EventBatchHandler} that remembers what it was given, resumes from the offset it last
 * applied (like a real handler's stored offset), can hold its first batch until released (to observe
 * lag), and can fail its first batches (an outage). Thread-safe.
 */
public final class RecordingHandler implements EventBatchHandler {
    private final Map<Integer, Long> resumeAfter;
    private final List<LoggedEvent> received = new ArrayList<>();
    private final CountDownLatch firstBatchEntered = new CountDownLatch(1);
    private final CountDownLatch release;
    private final java.util.concurrent.atomic.AtomicInteger failuresLeft;

    private RecordingHandler(Map<Integer, Long> resumeAfter, boolean holdFirstBatch, int failures) {
        this.resumeAfter = new ConcurrentHashMap<>(resumeAfter);
        this.release = new CountDownLatch(holdFirstBatch ? 1 : 0);
        this.failuresLeft = new java.util.concurrent.atomic.AtomicInteger(failures);
    }

    /** Resumes every partition from the beginning. */
    public static RecordingHandler fromStart() {
        return new RecordingHandler(Map.of(), false, 0);
    }

    /** Resumes the given partitions after the given offsets, the others from the beginning. */
    public static RecordingHandler resumingAfter(Map<Integer, Long> offsets) {
        return new RecordingHandler(offsets, false, 0);
    }

    /** Holds the first batch inside {@link #onBatch} until {@link #release()}. */
    public static RecordingHandler holdingFirstBatch() {
        return new RecordingHandler(Map.of(), true, 0);
    }

    /** Throws from its first {@code failures} batches, applying nothing of them (an outage). */
    public static RecordingHandler failingFirst(int failures) {
        return new RecordingHandler(Map.of(), false, failures);
    }

    @Override
    public long resumeAfter(int partition) {
        return resumeAfter.getOrDefault(partition, -1L);
    }

    @Override
    public void onBatch(int partition, List<LoggedEvent> batch) {
        firstBatchEntered.countDown();
        try {
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("handler was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("outage (a RecordingHandler failing on purpose)");
        }
        synchronized (received) {
            received.addAll(batch);
            resumeAfter.put(partition, batch.get(batch.size() - 1).offset());
        }
    }

    public boolean awaitFirstBatch() throws InterruptedException {
        return firstBatchEntered.await(30, TimeUnit.SECONDS);
    }

    public void release() {
        release.countDown();
    }

    public List<LoggedEvent> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public int count() {
        synchronized (received) {
            return received.size();
        }
    }
}
