package io.tessera.server;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts requests that write (ingestion) so shutdown can drain them: once {@link #close} is called
 * new requests are refused ({@link #enter} is false) and close waits for the ones in flight to
 * finish their appends. Thread-safe.
 */
public final class DrainGate {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int inFlight;
    private boolean closed;

    /** Admits a request; false once draining has begun. Every true must be paired with {@link #exit}. */
    public boolean enter() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            inFlight++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    public void exit() {
        lock.lock();
        try {
            if (--inFlight == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean isOpen() {
        lock.lock();
        try {
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new requests and waits until none is in flight; false if the timeout passed first. */
    public boolean close(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            closed = true;
            long left = timeout.toNanos();
            while (inFlight > 0) {
                if (left <= 0) {
                    return false;
                }
                left = idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

}
