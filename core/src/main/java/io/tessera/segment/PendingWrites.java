package io.tessera.segment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The writes of the engine operation in progress (an event batch, a page of timers, a backfill
 * page), handed to the {@link MembershipWriter} as one unit at the operation's end. Reads of the
 * stores during the operation lay these over what the writer returns. Not thread-safe: touched
 * only under the {@link SegmentEngine}'s lock.
 */
final class PendingWrites {
    // Fresh collections for every operation (take() hands these over): one kept and cleared lived in
    // the old generation, and every change put into it wrote a reference to a young object into an
    // old table, a card each young collection scanned (docs/BENCHMARKS.md "Segments, session 8").
    private List<MembershipChange> changes = new ArrayList<>();
    private Set<String> profiles = new HashSet<>();
    private Map<String, Optional<Instant>> timers = new LinkedHashMap<>();
    private Map<String, Integer> timerPartitions = new HashMap<>();
    private final Map<Integer, Long> positions = new HashMap<>();

    void publish(List<MembershipChange> list) {
        changes.addAll(list);
        list.forEach(c -> profiles.add(c.profileId()));
    }

    void timer(String profileId, Optional<Instant> due, int partition) {
        timers.put(profileId, due);
        if (due.isPresent()) {
            timerPartitions.put(profileId, partition);
        }
    }

    void position(int partition, long offset) {
        positions.merge(partition, offset, Math::max);
    }

    /** {@code stored} with this operation's changes of the profile laid over it. */
    Map<String, Instant> memberships(String profileId, Map<String, Instant> stored) {
        if (!profiles.contains(profileId)) {
            return stored;
        }
        Map<String, Instant> m = new HashMap<>(stored);
        for (MembershipChange c : changes) {
            if (c.profileId().equals(profileId)) {
                if (c.entered()) {
                    m.put(c.segment(), c.at());
                } else {
                    m.remove(c.segment());
                }
            }
        }
        return m;
    }

    /** The timer this operation set (present: set or cancelled), or empty when it did not touch it. */
    Optional<Optional<Instant>> timer(String profileId) {
        return Optional.ofNullable(timers.get(profileId));
    }

    /**
     * Takes the writes out (positions only when {@code withPositions}), leaving this empty. The
     * collections themselves are handed over (no one changes them after), new ones start here.
     */
    MembershipWriter.Writes take(boolean withPositions) {
        MembershipWriter.Writes w = new MembershipWriter.Writes(changes, timers, timerPartitions,
                withPositions ? Map.copyOf(positions) : Map.of());
        changes = new ArrayList<>();
        profiles = new HashSet<>();
        timers = new LinkedHashMap<>();
        timerPartitions = new HashMap<>();
        positions.clear();
        return w;
    }

    Map<Integer, Long> positions() {
        return positions;
    }

    void clear() {
        take(false);
    }
}
