package io.tessera.segment;

import io.tessera.event.Event;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The engine's per-profile {@link ProfileWindows}: a bounded cache of them and how they are built on
 * a miss, from the profile's history and the durable memberships and timer as the
 * {@link MembershipWriter} sees them (unwritten changes laid over the stores) with the current
 * operation's {@link PendingWrites} laid over that.
 *
 * <p>Threading: everything except {@link #prepare} runs under the {@link SegmentEngine}'s lock.
 * {@link #prepare} builds states from the profile store alone (no cache, no memberships), so
 * backfill and recovery pages can build them on several threads outside the lock; {@link #adopt}
 * completes them under the lock.
 */
final class WindowStates {
    private final ProfileStore profiles;
    private final MembershipWriter writer;
    private final PendingWrites pending;
    /**
     * Bounded with second-chance (CLOCK) eviction: insertion order, a hit sets the state's
     * {@link ProfileWindows#used} bit, and the eldest entry is evicted unless its bit is set (then
     * it is cleared and the entry moves to the young end). An access-ordered map relinked three
     * old entries at every hit: references written into old objects, which each young garbage
     * collection scans (SegmentBench GC log, "Segments, session 7").
     */
    private final LinkedHashMap<String, ProfileWindows> cache = new LinkedHashMap<>(1024);
    private final int maxCachedProfiles;
    /**
     * Where the cached states keep their aggregate states ({@link StateArena}): a state moves in
     * when it is cached and out ({@link #dropped}) whenever the cache lets go of it.
     */
    private final StateArena arena = new StateArena();

    WindowStates(ProfileStore profiles, MembershipWriter writer, PendingWrites pending, int maxCachedProfiles) {
        this.profiles = profiles;
        this.writer = writer;
        this.pending = pending;
        this.maxCachedProfiles = maxCachedProfiles;
    }

    private void keep(String profileId, ProfileWindows w) {
        w.moveTo(arena);
        ProfileWindows replaced = cache.put(profileId, w);
        if (replaced != w) {
            dropped(replaced);
        }
        while (cache.size() > maxCachedProfiles) {
            Map.Entry<String, ProfileWindows> eldest = cache.firstEntry();
            cache.remove(eldest.getKey());
            if (eldest.getValue().used) {
                eldest.getValue().used = false;
                cache.put(eldest.getKey(), eldest.getValue());
            } else {
                dropped(eldest.getValue());
            }
        }
    }

    /**
     * A state the cache no longer holds gives its arena block back. It is copied out, not just
     * freed: whoever still holds it (a page being evaluated) reads a plain copy, never a block
     * handed to another state.
     */
    private static void dropped(ProfileWindows w) {
        if (w != null) {
            w.leaveArena();
        }
    }

    /** The cached state tracking the whole catalog, or null (a state tracking less is dropped). */
    ProfileWindows cached(String profileId, SegmentCatalog catalog) {
        ProfileWindows w = cache.get(profileId);
        if (w != null && w.tracks(catalog)) {
            w.used = true;
            return w;
        }
        if (w != null) {
            dropped(cache.remove(profileId));
        }
        return null;
    }

    ProfileWindows remove(String profileId) {
        ProfileWindows w = cache.remove(profileId);
        dropped(w);
        return w;
    }

    void clear() {
        cache.values().forEach(WindowStates::dropped);
        cache.clear();
    }

    /** The arena of the cached states (for tests: its blocks in use are the cached states'). */
    StateArena arena() {
        return arena;
    }

    /**
     * The state of a profile for threads other than the profile engine's: the cached one, or one
     * built from the store and NOT cached, because a batch may be committed but not yet delivered
     * to the engine, and caching it would apply those events twice.
     */
    Optional<ProfileWindows> windows(String profileId, SegmentCatalog catalog, Instant now) {
        ProfileWindows w = cached(profileId, catalog);
        if (w != null) {
            return Optional.of(w);
        }
        return profiles.get(profileId).map(p -> load(p, catalog, now, false));
    }

    ProfileWindows load(Profile p, SegmentCatalog catalog, Instant now, boolean keep) {
        ProfileWindows w = new ProfileWindows(p, memberships(p.id()), timer(p.id()));
        w.track(catalog, catalog.aggregates().isEmpty() ? List.of() : profiles.history(p.id()), now);
        w.appliedThrough = p.lastOffset();
        if (keep) {
            keep(p.id(), w);
        }
        return w;
    }

    /**
     * The states of a page of profiles for evaluating {@code segments} off the profile engine's
     * thread: cached ones as they are; the others built (not cached) from one read of the page's
     * memberships and timers, tracking only the aggregates of {@code segments} and the segments
     * reading them. Measured on SegmentBench's backfill: one SQLite read per page instead of two
     * per profile, and no state for the other segments' aggregates.
     */
    Map<String, ProfileWindows> page(List<String> ids, Set<String> segments, SegmentCatalog catalog, Instant now) {
        Map<String, ProfileWindows> out = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            ProfileWindows w = cached(id, catalog);
            if (w != null) {
                out.put(id, w);
            } else {
                missing.add(id);
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        Scope scope = Scope.of(segments, catalog);
        adopt(build(missing, scope, now), scope, out);
        return out;
    }

    /**
     * What a page's states must track to evaluate some segments: every aggregate (then they may be
     * cached), or only those of the segments and the segments they read. Computed once a page.
     */
    record Scope(SegmentCatalog catalog, boolean full, Set<Aggregate> needed, Set<String> membershipsRead) {
        /** The names of the track events the needed aggregates count: all a state is built from. */
        Set<String> events() {
            Set<String> names = new java.util.HashSet<>();
            needed.forEach(a -> names.add(a.event()));
            return names;
        }

        static Scope of(Set<String> segments, SegmentCatalog catalog) {
            Set<String> closure = catalog.closure(segments);
            boolean full = closure.containsAll(catalog.keys());
            // evaluating a segment reads its own membership and those of the segments it names
            Set<String> read = new java.util.HashSet<>(closure);
            for (String k : closure) {
                catalog.get(k).ifPresent(c -> read.addAll(c.dependsOn()));
            }
            return new Scope(catalog, full, full ? catalog.aggregates() : catalog.aggregatesOf(closure),
                    full ? catalog.keys().stream().collect(java.util.stream.Collectors.toUnmodifiableSet()) : Set.copyOf(read));
        }
    }

    /**
     * Builds the state of one profile for evaluating a scope's segments, from the profile store
     * only (memberships and timers are set by {@link #adopt}). Safe outside the engine's lock.
     */
    Optional<ProfileWindows> build(String id, Scope scope, Instant now) {
        return profiles.get(id).map(p -> built(p, scope.needed().isEmpty() ? List.of() : profiles.history(id), scope, now));
    }

    /**
     * {@link #build} for a page of profiles, with one bulk read of the events the scope's
     * aggregates count ({@link ProfileStore#histories}) instead of a profile read and a full
     * history read each: on a real store reading and decoding histories is most of a backfill
     * (docs/BENCHMARKS.md, "Segment backfill, session 6"). Safe outside the engine's lock.
     */
    Map<String, ProfileWindows> build(List<String> ids, Scope scope, Instant now) {
        Map<String, ProfileWindows> out = new HashMap<>();
        for (ProfileStore.ProfileHistory h : profiles.histories(ids, scope.events())) {
            out.put(h.profile().id(), built(h.profile(), h.history(), scope, now));
        }
        return out;
    }

    private static ProfileWindows built(Profile p, List<Event> history, Scope scope, Instant now) {
        ProfileWindows w = new ProfileWindows(p, Map.of(), Optional.empty());
        if (scope.full()) {
            w.track(scope.catalog(), history, now);
        } else {
            w.trackOnly(scope.catalog(), scope.needed(), history, now);
        }
        w.appliedThrough = p.lastOffset();
        return w;
    }

    /**
     * Completes built states under the lock: gives them the page's memberships (those of the
     * scope's segments) and timers (one read each) and puts them in {@code out}. A state built for every segment is cached: if the
     * store already held a batch not yet delivered, the state includes it, every segment is
     * evaluated over it, and the delivery is skipped ({@code appliedThrough}).
     */
    void adopt(Map<String, ProfileWindows> built, Scope scope, Map<String, ProfileWindows> out) {
        if (built.isEmpty()) {
            return;
        }
        boolean full = scope.full();
        List<String> ids = List.copyOf(built.keySet());
        // a partial state reads only the memberships its segments read: for a new segment, none
        // (reading every membership of the page was 3/4 of a backfill's time: SegmentBench, JFR)
        Map<String, Map<String, Instant>> stored = full ? writer.memberships(ids) : writer.memberships(ids, scope.membershipsRead());
        Map<String, Instant> scheduled = writer.timers(ids);
        for (String id : ids) {
            ProfileWindows w = built.get(id);
            Optional<Instant> timer = pending.timer(id).orElse(Optional.ofNullable(scheduled.get(id)));
            w.adopt(pending.memberships(id, stored.getOrDefault(id, Map.of())), timer);
            if (full) {
                keep(id, w);
            }
            out.put(id, w);
        }
    }

    /** The durable memberships of a profile with the unwritten and the pending changes laid over them. */
    Map<String, Instant> memberships(String profileId) {
        return pending.memberships(profileId, writer.memberships(profileId));
    }

    private Optional<Instant> timer(String profileId) {
        return pending.timer(profileId).orElseGet(() -> writer.timer(profileId));
    }
}
