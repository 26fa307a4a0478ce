package io.tessera.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * A clock tests move by hand: window expiry, staleness and schedules become deterministic.
 * Thread-safe (the instant is a volatile field; {@link #advance} is atomic).
 */
public final class MutableClock implements InstantSource {
    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** Starts at 2026-11-01T00:00:00Z, a fixed and readable instant. */
    public MutableClock() {
        this(Instant.parse("2026-11-01T00:00:00Z"));
    }

    @Override
    public Instant instant() {
        return now;
    }

    public synchronized Instant advance(Duration by) {
        now = now.plus(by);
        return now;
    }

    public synchronized void set(Instant to) {
        now = Objects.requireNonNull(to, "to");
    }

    @Override
    public String toString() {
        return "MutableClock[" + now + "]";
    }
}
