package io.tessera.log.sqlite;

/**
 * The highest committed offset, and a monitor subscribers sleep on until it moves past them, so
 * delivery wakes on new appends without polling. Thread-safe: one writer advances, any number of
 * subscribers wait.
 */
final class CommitSignal {
    private volatile long committed;

    CommitSignal(long committed) {
        this.committed = committed;
    }

    long committed() {
        return committed;
    }

    synchronized void advance(long to) {
        committed = to;
        notifyAll();
    }

    /** Wakes every waiter, so they re-check whether they were closed. */
    synchronized void wakeAll() {
        notifyAll();
    }

    /**
     * Blocks until an offset above {@code position} is committed or {@code stillWanted} says stop.
     * Returns whether there is something to read.
     */
    synchronized boolean awaitPast(long position, java.util.function.BooleanSupplier stillWanted) throws InterruptedException {
        while (committed <= position && stillWanted.getAsBoolean()) {
            wait();
        }
        return committed > position;
    }

    /**
     * Sleeps about {@code millis} (a retry pause), returning early, with false, once
     * {@code stillWanted} says stop (checked on every {@link #wakeAll}).
     */
    synchronized boolean sleep(long millis, java.util.function.BooleanSupplier stillWanted) {
        long end = System.nanoTime() + millis * 1_000_000;
        try {
            for (long left = millis; left > 0 && stillWanted.getAsBoolean(); left = (end - System.nanoTime()) / 1_000_000) {
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return stillWanted.getAsBoolean();
    }
}
