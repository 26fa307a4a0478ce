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

    /** Sets (present) or cancels (empty) many timers in one transaction; new timers go to partition 0. */
    default void apply(java.util.Map<String, Optional<Instant>> updates) {
        apply(updates, java.util.Map.of());
    }

    /**
     * Sets (present) or cancels (empty) many timers in one transaction, each set timer under the
     * log partition of its profile ({@code partitions}; 0 when absent). In the cluster only the node
     * owning a partition fires its timers ({@link #due(Instant, int, java.util.Set)}), so they move
     * with the partition on a rebalance.
     */
    void apply(java.util.Map<String, Optional<Instant>> updates, java.util.Map<String, Integer> partitions);

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

    /** Timers of the given log partitions due at or before {@code now}, earliest first. */
    List<WindowTimer> due(Instant now, int limit, java.util.Set<Integer> partitions);

    /** The earliest timer, if any. */
    Optional<Instant> next();

    @Override
    void close();

    /** A profile to re-evaluate at {@code dueAt}. */
    record WindowTimer(String profileId, Instant dueAt) {}
}
