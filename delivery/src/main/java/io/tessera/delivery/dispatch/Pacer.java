package io.tessera.delivery.dispatch;

/**
 * A token bucket that blocks the caller until it may proceed at {@code perSecond} (bursts up to
 * one second's worth). {@code perSecond <= 0} never blocks. Thread-safe: callers reserve their slot
 * under the monitor and sleep outside it, so waiting threads do not serialize on the lock.
 */
final class Pacer {

    private final double perSecond;
    private final long intervalNanos;
    private final long burstNanos;
    private long nextFree = System.nanoTime();

    Pacer(double perSecond) {
        this.perSecond = perSecond;
        this.intervalNanos = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
        this.burstNanos = 1_000_000_000L;
    }

    void acquire() {
        if (perSecond <= 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            nextFree = Math.max(nextFree, now - burstNanos);
            wait = nextFree - now;
            nextFree += intervalNanos;
        }
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
