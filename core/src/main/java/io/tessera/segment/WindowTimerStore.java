package io.tessera.segment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable window timers: at most one per profile, due when the oldest event inside any of its
 * windows leaves it. They survive restarts, so expiry needs no scan of the profiles. Adapters:
 * {@code store.sqlite.SqliteWindowTimerStore}. Thread-safe.
 */
public interface WindowTimerStore extends AutoCloseable {

    /** Sets (or moves) the profile's timer. */
    void schedule(String profileId, Instant dueAt);

    void cancel(String profileId);

    /** Sets (present) or cancels (empty) many timers in one transaction. */
    void apply(java.util.Map<String, Optional<Instant>> updates);

    Optional<Instant> scheduled(String profileId);

    /** The timers of several profiles (a page): profile id → due time; absent when none. */
    default java.util.Map<String, Instant> scheduled(java.util.Collection<String> profileIds) {
        java.util.Map<String, Instant> out = new java.util.HashMap<>();
        for (String id : profileIds) {
            scheduled(id).ifPresent(t -> out.put(id, t));
        }
        return out;
    }

    /** Timers due at or before {@code now}, earliest first. */
    List<WindowTimer> due(Instant now, int limit);

    /** The earliest timer, if any. */
    Optional<Instant> next();

    @Override
    void close();

    /** A profile to re-evaluate at {@code dueAt}. */
    record WindowTimer(String profileId, Instant dueAt) {}
}
