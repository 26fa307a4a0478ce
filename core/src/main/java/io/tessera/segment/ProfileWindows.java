package io.tessera.segment;

import io.tessera.event.Event;
import io.tessera.profile.Profile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The incremental evaluator's state for one profile: a profile snapshot with the latest traits
 * and identities (the only parts conditions and timer partitions read), the state of every
 * aggregate the active segments need ({@link AggregateStates}), the current memberships and the
 * window timer scheduled for it. State is a pure function of the profile's history, the
 * clock and the tracked aggregates, so it can be dropped at any time (eviction, restart) and
 * rebuilt from {@code ProfileStore.history}. Not thread-safe: touched only under the
 * {@link SegmentEngine}'s lock.
 *
 * <p>Memberships are a bit set over {@link SegmentBits} and the timer two primitive fields: what
 * an event changes here is written in place, creating no object the old generation would refer
 * to (docs/BENCHMARKS.md "Segments, session 8").
 */
final class ProfileWindows {
    private final String profileId;
    private Profile profile;
    private Map<String, Object> traits;
    private Map<String, List<String>> identities;
    private final AggregateStates states = new AggregateStates();
    private Set<Aggregate> tracked = Set.of();
    private SegmentCatalog index = SegmentCatalog.EMPTY;
    /**
     * The segments the profile is in, by {@link SegmentBits} number: sized for every segment at
     * once, so entering one writes a bit, not a new array into an old state (as it did when
     * the array grew at a profile's first entry).
     */
    private long[] members = new long[SegmentBits.words()];
    /** The scheduled window timer: whether there is one, and its epoch second and nanosecond. */
    private boolean timerSet;
    private long timerSecond;
    private int timerNano;
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
        adopt(memberships, scheduledTimer);
    }

    String profileId() {
        return profileId;
    }

    /** Sets the durable memberships and timer of a state built from the profile store alone. */
    void adopt(Map<String, Instant> stored, Optional<Instant> timer) {
        java.util.Arrays.fill(members, 0L);
        stored.keySet().forEach(k -> setMember(SegmentBits.of(k), true));
        setScheduledTimer(timer);
    }

    /** Whether the profile is in the segment with this key. */
    boolean isMember(String segmentKey) {
        return SegmentBits.get(members, SegmentBits.find(segmentKey));
    }

    boolean isMember(CompiledSegment s) {
        return SegmentBits.get(members, s.bit());
    }

    void setMember(int bit, boolean member) {
        int word = bit >>> 6;
        if (word >= members.length) {
            if (!member) {
                return;
            }
            members = java.util.Arrays.copyOf(members, word + 1);
        }
        if (member) {
            members[word] |= 1L << bit;
        } else {
            members[word] &= ~(1L << bit);
        }
    }

    /** Calls {@code visit} with the number of every segment the profile is in. */
    private void forEachMember(java.util.function.IntConsumer visit) {
        for (int w = 0; w < members.length; w++) {
            for (long bits = members[w]; bits != 0; bits &= bits - 1) {
                visit.accept(w * 64 + Long.numberOfTrailingZeros(bits));
            }
        }
    }

    /** The keys of the segments the profile is in. */
    List<String> memberKeys() {
        List<String> out = new java.util.ArrayList<>();
        forEachMember(bit -> out.add(SegmentBits.key(bit)));
        return out;
    }

    /** Forgets memberships of segments the catalog no longer has (their rows are the registry's to clear). */
    void dropDeletedSegments(SegmentCatalog catalog) {
        forEachMember(bit -> {
            if (catalog.get(SegmentBits.key(bit)).isEmpty()) {
                setMember(bit, false);
            }
        });
    }

    void setScheduledTimer(Optional<Instant> due) {
        timerSet = due.isPresent();
        timerSecond = timerSet ? due.get().getEpochSecond() : 0;
        timerNano = timerSet ? due.get().getNano() : 0;
    }

    /** Whether the scheduled timer is {@code due} (both absent, or the same instant). */
    boolean timerIs(Optional<Instant> due) {
        return due.isPresent() ? timerSet && due.get().getEpochSecond() == timerSecond && due.get().getNano() == timerNano : !timerSet;
    }

    /** Whether a timer is scheduled at or before {@code t}. */
    boolean timerNotAfter(Instant t) {
        return timerSet && (timerSecond < t.getEpochSecond() || timerSecond == t.getEpochSecond() && timerNano <= t.getNano());
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

    /** Keeps the aggregate states in the cache's arena from now on (see {@link AggregateStates#moveTo}). */
    void moveTo(StateArena arena) {
        states.moveTo(arena);
    }

    /** Gives the arena back its block (the state stays usable); called when the cache drops the state. */
    void leaveArena() {
        states.leaveArena();
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
        states.add(a, e);
        return true;
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
        Object v = states.value(a, now);
        if (v != null) {
            return v;
        }
        if (!tracked.contains(a)) {
            throw new IllegalStateException("aggregate not tracked for " + profileId + ": " + a.describe());
        }
        return AggregateStates.empty(a);
    }

    /**
     * Drops the events that have left their windows at {@code now}; returns the aggregates whose
     * values that changed. The only place expiry mutates state, so each expiry is reported once.
     */
    List<Aggregate> expire(Instant now) {
        return states.expire(now);
    }

    Optional<Instant> nextExpiry(Instant now) {
        return states.nextExpiry(now);
    }

    SegmentInput input(Instant now, ProfileScores scores) {
        return new SegmentInput(profileId, traits, identities, scores.rfm(profileId), scores.predicted(profileId),
                a -> value(a, now), this::isMember, now);
    }
}
