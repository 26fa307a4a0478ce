package io.tessera.segment;

import io.tessera.event.Event;
import io.tessera.profile.Profile;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The incremental evaluator's state for one profile: a profile snapshot with the latest traits
 * and identities (the only parts conditions and timer partitions read), one
 * {@link AggregateState} per aggregate the active segments need, the current memberships and
 * the window timer scheduled for it. State is a pure function of the profile's history, the
 * clock and the tracked aggregates, so it can be dropped at any time (eviction, restart) and
 * rebuilt from {@code ProfileStore.history}. Not thread-safe: touched only under the
 * {@link SegmentEngine}'s lock.
 */
final class ProfileWindows {
    private final String profileId;
    private Profile profile;
    private Map<String, Object> traits;
    private Map<String, List<String>> identities;
    /**
     * The states in {@code [0, stateCount)}, one per aggregate that has one: an array searched by
     * hash, not a map, because a map entry per state was another object per aggregate an event
     * first matched, kept in the old generation (SegmentBench GC log, "Segments, session 7").
     */
    private AggregateState[] states = NO_STATES;
    private int stateCount;
    private static final AggregateState[] NO_STATES = new AggregateState[0];
    private Set<Aggregate> tracked = Set.of();
    private SegmentCatalog index = SegmentCatalog.EMPTY;
    final Map<String, Instant> memberships;
    Optional<Instant> scheduledTimer;
    /** Whether the state's next expiry covers every windowed aggregate of the catalog (false for a partial state). */
    boolean exactExpiry = true;
    private boolean partial;
    /**
     * True until the first evaluation: a state just built from history cannot tell which windows
     * expired since the stored memberships were computed (see {@code SegmentEngine.evaluate}).
     */
    boolean fresh = true;
    /** Set by a cache hit, cleared when eviction passes over the state ({@link WindowStates}: second chance). */
    boolean used;
    /** The log offset of the last event reflected in the state; older deliveries are ignored. */
    long appliedThrough = -1;

    ProfileWindows(Profile profile, Map<String, Instant> memberships, Optional<Instant> scheduledTimer) {
        this.profileId = profile.id();
        setProfile(profile);
        this.memberships = new HashMap<>(memberships);
        this.scheduledTimer = scheduledTimer;
    }

    String profileId() {
        return profileId;
    }

    /** Sets the durable memberships and timer of a state built from the profile store alone. */
    void adopt(Map<String, Instant> stored, Optional<Instant> timer) {
        memberships.clear();
        memberships.putAll(stored);
        scheduledTimer = timer;
    }

    void setProfile(Profile p) {
        this.profile = p;
        // Immutable copies once per profile change, so building a SegmentInput per evaluation copies nothing.
        this.traits = Map.copyOf(p.traitValues());
        Map<String, List<String>> ids = new LinkedHashMap<>();
        p.identities().forEach((k, v) -> ids.put(k.apiName(), v));
        this.identities = Map.copyOf(ids);
    }

    Profile profile() {
        return profile;
    }

    /** Whether the state covers every aggregate of the catalog (then it adopts the catalog's index). */
    boolean tracks(SegmentCatalog catalog) {
        if (tracked == catalog.aggregates()) {
            return true;
        }
        // Size first: after a save adds an aggregate, every cached state answers no without a walk.
        if (tracked.size() >= catalog.aggregates().size() && tracked.containsAll(catalog.aggregates())) {
            tracked = catalog.aggregates();
            index = catalog;
            return true;
        }
        return false;
    }

    /**
     * Starts tracking aggregates from the full history (on load, and when segments change).
     * States are sparse: an aggregate with no matching event has no state object, which keeps a
     * profile's footprint proportional to its matching events, not to the number of segments.
     */
    void track(SegmentCatalog catalog, List<Event> history, Instant now) {
        Set<Aggregate> fresh = new java.util.HashSet<>(catalog.aggregates());
        fresh.removeAll(tracked);
        if (!fresh.isEmpty()) {
            for (Event e : history) {
                for (Aggregate a : catalog.aggregatesOn(e.name())) {
                    if (fresh.contains(a)) {
                        add(a, e, now);
                    }
                }
            }
        }
        this.tracked = catalog.aggregates();
        this.index = catalog;
    }

    /**
     * Tracks only {@code needed} (a subset of the catalog's aggregates), for a one-off evaluation of
     * the segments reading them (a backfill page, a timer page). Such a state is never cached:
     * {@link #tracks} is false for it unless {@code needed} covers the catalog.
     */
    void trackOnly(SegmentCatalog catalog, Set<Aggregate> needed, List<Event> history, Instant now) {
        if (!needed.isEmpty()) {
            for (Event e : history) {
                for (Aggregate a : catalog.aggregatesOn(e.name())) {
                    if (needed.contains(a)) {
                        add(a, e, now);
                    }
                }
            }
        }
        this.tracked = needed;
        this.index = catalog;
        this.exactExpiry = needed.containsAll(catalog.windowedAggregates());
        this.partial = !needed.containsAll(catalog.aggregates());
    }

    /** Whether every aggregate of the segment is tracked, so it can be evaluated over this state. */
    boolean covers(CompiledSegment s) {
        return !partial || tracked.containsAll(s.aggregates());
    }

    private boolean add(Aggregate a, Event e, Instant now) {
        if (!a.matches(e) || (a.windowed() && !a.inside(e.timestamp(), now))) {
            return false;
        }
        AggregateState s = state(a);
        if (s == null) {
            if (stateCount == states.length) {
                states = java.util.Arrays.copyOf(states, Math.max(4, stateCount * 2));
            }
            s = new AggregateState(a);
            states[stateCount++] = s;
        }
        s.add(e);
        return true;
    }

    private AggregateState state(Aggregate a) {
        int h = a.hashCode();
        for (int i = 0; i < stateCount; i++) {
            Aggregate k = states[i].aggregate();
            if (k == a || (k.hashCode() == h && k.equals(a))) {
                return states[i];
            }
        }
        return null;
    }

    /** Applies a new event to every tracked aggregate; returns the aggregates it changed. */
    List<Aggregate> apply(Event e, Instant now) {
        List<Aggregate> changed = new java.util.ArrayList<>(2);
        for (Aggregate a : index.aggregatesOn(e.name())) {
            if (tracked.contains(a) && add(a, e, now)) {
                changed.add(a);
            }
        }
        return changed;
    }

    Object value(Aggregate a, Instant now) {
        AggregateState s = state(a);
        if (s != null) {
            return s.value(now);
        }
        if (!tracked.contains(a)) {
            throw new IllegalStateException("aggregate not tracked for " + profileId + ": " + a.describe());
        }
        return AggregateState.empty(a);
    }

    /**
     * Drops the events that have left their windows at {@code now}; returns the aggregates whose
     * values that changed. The only place expiry mutates state, so each expiry is reported once.
     */
    List<Aggregate> expire(Instant now) {
        List<Aggregate> expired = List.of();
        int kept = 0;
        for (int i = 0; i < stateCount; i++) {
            AggregateState s = states[i];
            if (s.expire(now)) {
                if (expired.isEmpty()) {
                    expired = new java.util.ArrayList<>(2);
                }
                expired.add(s.aggregate());
            }
            if (!s.isEmpty()) {
                states[kept++] = s;
            }
        }
        java.util.Arrays.fill(states, kept, stateCount, null);
        stateCount = kept;
        return expired;
    }

    Optional<Instant> nextExpiry(Instant now) {
        Optional<Instant> next = Optional.empty();
        for (int i = 0; i < stateCount; i++) {
            Optional<Instant> e = states[i].nextExpiry(now);
            if (e.isPresent() && (next.isEmpty() || e.get().isBefore(next.get()))) {
                next = e;
            }
        }
        return next;
    }

    SegmentInput input(Instant now, ProfileScores scores) {
        return new SegmentInput(profileId, traits, identities, scores.rfm(profileId), scores.predicted(profileId),
                a -> value(a, now), memberships::containsKey, now);
    }
}
