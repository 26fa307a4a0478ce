package io.tessera.segment;

import io.tessera.event.Event;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileChange;
import io.tessera.profile.ProfileChangeListener;
import io.tessera.profile.ProfileStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps segment memberships current, incrementally.
 *
 * <p><b>Implementation notes.</b> For each profile the engine keeps a {@link ProfileWindows}: one
 * {@link AggregateState} per aggregate the active segments read, the current memberships, and
 * the profile's window timer. On a profile change it applies the event to the matching
 * aggregates and re-evaluates only the segments that read them (plus those reading traits when
 * traits changed, all of them for a new profile, and the dependents of any segment whose
 * membership changed, in dependency order). After each round it moves the profile's durable
 * timer to the earliest instant an event leaves a window, so expiry costs one timer per profile
 * and never a scan ({@link #fireDueTimers}). State is a pure function of history, clock and
 * catalog: it lives in a bounded LRU and is rebuilt from {@code ProfileStore.history} on a miss,
 * which is also how a restart recovers (memberships and timers are durable; windows are not).
 *
 * <p><b>Writes and durability.</b> The changes of one profile-engine batch are collected and
 * written at {@link #onBatchCommitted}: timers in one transaction, then memberships, their log and
 * the batch's log position ({@link MembershipStore#appliedThrough}) in another; listeners are told
 * after that. Timers, backfill pages and rescoring write (and flush whatever events of the batch in
 * hand came before them) at their end. Profiles are committed before their segment writes, so a
 * crash in between leaves memberships behind the profile store; they are derivable from it:
 * {@link MembershipRecovery} re-evaluates, at start-up, every profile whose last offset is past the
 * recorded position. After a failed write the engine stops advancing the position (so the next
 * start recovers), and drops its cache. While a batch is unwritten, state loaded from the stores
 * is overlaid with the pending changes, so a miss never reads memberships older than the cache had.
 *
 * <p><b>Threading.</b> Every method that reads or writes profile state holds {@code lock}; callers
 * are the profile engine's thread ({@link #onProfileChange}), the timer runner and backfills, which
 * take the lock per page so live events interleave. Listeners run under the lock.
 */
public final class SegmentEngine implements ProfileChangeListener {
    private final ProfileStore profiles;
    private final MembershipStore memberships;
    private final WindowTimerStore timers;
    private final ProfileScores scores;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ProfileWindows> cache;
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private volatile SegmentCatalog catalog = SegmentCatalog.EMPTY;
    // Writes of one operation (an event, a page of timers, a backfill page), flushed as one
    // transaction per store at its end; only touched under the lock.
    private final List<MembershipChange> pendingChanges = new ArrayList<>();
    private final Set<String> pendingProfiles = new HashSet<>();
    private final Map<String, Optional<Instant>> pendingTimers = new LinkedHashMap<>();
    private final Map<Integer, Long> pendingPositions = new HashMap<>();
    private final Map<String, Integer> pendingTimerPartitions = new HashMap<>();
    private volatile java.util.function.ToIntFunction<Profile> timerPartition = p -> 0;
    // Set after a failed write: the recorded position must stay where the durable state is.
    private boolean positionsFrozen;
    private volatile boolean recovering;
    private final Map<Integer, Long> heldPositions = new HashMap<>();

    public SegmentEngine(ProfileStore profiles, MembershipStore memberships, WindowTimerStore timers,
                         ProfileScores scores, InstantSource clock, int maxCachedProfiles) {
        this.profiles = profiles;
        this.memberships = memberships;
        this.timers = timers;
        this.scores = scores;
        this.clock = clock;
        this.cache = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ProfileWindows> eldest) {
                return size() > maxCachedProfiles;
            }
        };
    }

    /**
     * How a profile's window timer is filed: under the log partition its events go to, so the node
     * owning that partition fires it ({@link #fireDueTimers(int, java.util.function.Supplier)}).
     * Default: partition 0 (the embedded log has one).
     */
    public void partitionTimersBy(java.util.function.ToIntFunction<Profile> partitionOf) {
        this.timerPartition = java.util.Objects.requireNonNull(partitionOf, "partitionOf");
    }

    /**
     * The profile engine gave these partitions away: forget every cached window (their profiles
     * are another node's to change now). Taking the lock waits for a timer pass in progress, so
     * when this returns nothing here fires those partitions' timers any more.
     */
    @Override
    public void onPartitionsRevoked(List<Integer> partitions) {
        dropCache();
    }

    public void addListener(MembershipListener listener) {
        listeners.add(listener);
    }

    public SegmentCatalog catalog() {
        return catalog;
    }

    /** Installs a new set of active segments. Profiles start tracking new aggregates lazily. */
    public void setCatalog(SegmentCatalog next) {
        lock.lock();
        try {
            this.catalog = next;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onChange(ProfileChange change) {
        onProfileChange(change.before(), change.after(), change.cause(), change.mergedAway());
    }

    @Override
    public void onBatchCommitted(int partition, long lastOffset) {
        lock.lock();
        try {
            pendingPositions.merge(partition, lastOffset, Math::max);
            flush();
        } catch (RuntimeException e) {
            abandon();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies one durable profile change (the profile engine's listener). Its writes are made at
     * the next {@link #onBatchCommitted} (or the next timer, backfill or rescore operation).
     */
    public void onProfileChange(Optional<Profile> before, Profile after, LoggedEvent cause, Collection<String> mergedAway) {
        lock.lock();
        try {
            applyChange(before, after, cause, mergedAway);
        } catch (RuntimeException e) {
            abandon();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private void applyChange(Optional<Profile> before, Profile after, LoggedEvent cause, Collection<String> mergedAway) {
        Instant now = clock.instant();
        Event event = cause.event();
        String why = "event:" + event.messageId();
        for (String gone : mergedAway) {
            retire(gone, now, "merge:" + event.messageId());
        }
        ProfileWindows w = cache.get(after.id());
        Set<String> dirty = new HashSet<>();
        if (w == null || !mergedAway.isEmpty() || !w.tracks(catalog)) {
            cache.remove(after.id());
            // On the profile engine's thread the store holds exactly the committed batches, so the
            // loaded state is consistent with the stored profile's last offset.
            Profile stored = profiles.get(after.id()).orElse(after);
            w = load(stored, now, true);
            // Stored memberships are current except for what this event (and an overdue
            // timer, see evaluate) can change. A merge, or a store already holding later events of
            // this batch (whose deliveries will now be skipped), can change anything.
            if (mergedAway.isEmpty() && stored.lastOffset() <= cause.offset()) {
                for (Aggregate a : catalog.aggregatesOn(event.name())) {
                    // the aggregates this event can have changed (the loaded state already holds it)
                    if (a.matches(event) && (!a.windowed() || a.inside(event.timestamp(), now))) {
                        dirty.addAll(catalog.readingAggregate(a));
                    }
                }
                boolean profileChanged = before.map(b -> !b.traits().equals(after.traits())
                        || !b.identities().equals(after.identities())).orElse(true);
                if (profileChanged) {
                    catalog.ordered().stream().filter(CompiledSegment::readsProfile).forEach(s -> dirty.add(s.key()));
                }
            } else {
                dirty.addAll(catalog.keys());
            }
        } else if (cause.offset() > w.appliedThrough) {
            for (Aggregate a : w.apply(event, now)) {
                dirty.addAll(catalog.readingAggregate(a));
            }
            w.appliedThrough = cause.offset();
            boolean profileChanged = !w.profile().traits().equals(after.traits())
                    || !w.profile().identities().equals(after.identities());
            w.setProfile(after);
            if (profileChanged) {
                catalog.ordered().stream().filter(CompiledSegment::readsProfile).forEach(s -> dirty.add(s.key()));
            }
        }
        if (before.isEmpty()) {
            dirty.addAll(catalog.keys());
        }
        evaluate(w, dirty, now, why);
    }

    /** Fires the window timers due now; returns how many fired. Call again while it returns {@code limit}. */
    public int fireDueTimers(int limit) {
        return fireDueTimers(limit, Optional::empty);
    }

    /**
     * Fires the window timers due now of the log partitions {@code owned} gives (read under the
     * lock; empty: all partitions, as in the embedded mode); returns how many fired.
     */
    public int fireDueTimers(int limit, java.util.function.Supplier<Optional<Set<Integer>>> owned) {
        lock.lock();
        try {
            Instant now = clock.instant();
            Optional<Set<Integer>> partitions = owned.get();
            List<WindowTimerStore.WindowTimer> due = partitions.isPresent()
                    ? (partitions.get().isEmpty() ? List.of() : timers.due(now, limit, partitions.get()))
                    : timers.due(now, limit);
            Set<String> timed = new HashSet<>();
            catalog.ordered().stream().filter(CompiledSegment::timeDependent).forEach(s -> timed.add(s.key()));
            Map<String, Instant> dueAt = new HashMap<>();
            due.forEach(t -> dueAt.put(t.profileId(), t.dueAt()));
            Map<String, ProfileWindows> page = page(due.stream().map(WindowTimerStore.WindowTimer::profileId).toList(), timed, now);
            for (WindowTimerStore.WindowTimer t : due) {
                ProfileWindows w = page.get(t.profileId());
                if (w == null) {
                    pendingTimers.put(t.profileId(), Optional.empty());
                    continue;
                }
                w.scheduledTimer = Optional.of(t.dueAt());
                // A cached state reports its expiries itself; a fresh one evaluates every timed segment.
                evaluate(w, Set.of(), now, "timer:" + t.dueAt());
            }
            flush();
            return due.size();
        } catch (RuntimeException e) {
            abandon();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** The earliest pending window timer. */
    public Optional<Instant> nextTimer() {
        return timers.next();
    }

    /** Re-evaluates one segment (and its dependents) for a page of profiles: one step of a backfill. */
    public void evaluatePage(String segmentKey, List<String> profileIds, String cause) {
        evaluatePage(Set.of(segmentKey), profileIds, cause);
    }

    /** Re-evaluates several segments (and their dependents) for a page of profiles. */
    public void evaluatePage(Set<String> segmentKeys, List<String> profileIds, String cause) {
        lock.lock();
        try {
            Instant now = clock.instant();
            Set<String> dirty = new HashSet<>();
            segmentKeys.forEach(k -> dirty.addAll(catalog.dependents(k)));
            Map<String, ProfileWindows> page = page(profileIds, dirty, now);
            for (String id : profileIds) {
                ProfileWindows w = page.get(id);
                if (w != null) {
                    evaluate(w, dirty, now, cause);
                }
            }
            flush();
        } catch (RuntimeException e) {
            abandon();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** Re-evaluates the segments that read scores, after the scores of these profiles changed. */
    public void rescore(Collection<String> profileIds) {
        lock.lock();
        try {
            Instant now = clock.instant();
            Set<String> dirty = new HashSet<>();
            catalog.ordered().stream().filter(CompiledSegment::readsScores).forEach(s -> dirty.add(s.key()));
            if (dirty.isEmpty()) {
                flush();
                return;
            }
            for (String id : profileIds) {
                windows(id, now).ifPresent(w -> evaluate(w, dirty, now, "rescore"));
            }
            flush();
        } catch (RuntimeException e) {
            abandon();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** Why a profile is (not) in a segment right now. */
    public Optional<Explanation> explain(String segmentKey, String profileId) {
        lock.lock();
        try {
            Instant now = clock.instant();
            Optional<CompiledSegment> s = catalog.get(segmentKey);
            Optional<ProfileWindows> w = windows(profileId, now);
            if (s.isEmpty() || w.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(s.get().explain(w.get().input(now, scores)));
        } finally {
            lock.unlock();
        }
    }

    /** Drops every cached window (a restart, in tests and benchmarks). */
    public void dropCache() {
        lock.lock();
        try {
            cache.clear();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The state of a profile for threads other than the profile engine's: the cached one, or one
     * built from the store and NOT cached, because a batch may be committed but not yet delivered
     * to {@link #onProfileChange}, and caching it would apply those events twice.
     */
    private Optional<ProfileWindows> windows(String profileId, Instant now) {
        ProfileWindows w = cache.get(profileId);
        if (w != null && w.tracks(catalog)) {
            return Optional.of(w);
        }
        cache.remove(profileId);
        return profiles.get(profileId).map(p -> load(p, now, false));
    }

    /**
     * The states of a page of profiles for evaluating {@code segments} off the profile engine's
     * thread: cached ones as they are; the others built (not cached) from one read of the page's
     * memberships and timers, tracking only the aggregates of {@code segments} and the segments
     * reading them. Measured on SegmentBench's backfill: one SQLite read per page instead of two
     * per profile, and no state for the other segments' aggregates.
     */
    private Map<String, ProfileWindows> page(List<String> ids, Set<String> segments, Instant now) {
        Map<String, ProfileWindows> out = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            ProfileWindows w = cache.get(id);
            if (w != null && w.tracks(catalog)) {
                out.put(id, w);
            } else {
                cache.remove(id);
                missing.add(id);
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        Set<String> closure = catalog.closure(segments);
        Set<Aggregate> needed = catalog.aggregatesOf(closure);
        // A state evaluated for every segment may be cached even off the profile engine's thread:
        // if the store already holds a batch not yet delivered, the state includes it, every
        // segment is evaluated over it here, and the delivery is skipped (appliedThrough).
        boolean full = closure.containsAll(catalog.keys());
        Map<String, Map<String, Instant>> stored = memberships.memberships(missing);
        Map<String, Instant> scheduled = timers.scheduled(missing);
        for (String id : missing) {
            Optional<Profile> p = profiles.get(id);
            if (p.isEmpty()) {
                continue;
            }
            Map<String, Instant> m = stored.getOrDefault(id, Map.of());
            if (pendingProfiles.contains(id)) {
                m = storedMemberships(id);
            }
            Optional<Instant> timer = pendingTimers.containsKey(id) ? pendingTimers.get(id) : Optional.ofNullable(scheduled.get(id));
            ProfileWindows w = new ProfileWindows(p.get(), m, timer);
            if (full) {
                w.track(catalog, catalog.aggregates().isEmpty() ? List.of() : profiles.history(id), now);
                cache.put(id, w);
            } else {
                w.trackOnly(catalog, needed, needed.isEmpty() ? List.of() : profiles.history(id), now);
            }
            w.appliedThrough = p.get().lastOffset();
            out.put(id, w);
        }
        return out;
    }

    private ProfileWindows load(Profile p, Instant now, boolean keep) {
        ProfileWindows w = new ProfileWindows(p, storedMemberships(p.id()), storedTimer(p.id()));
        w.track(catalog, catalog.aggregates().isEmpty() ? List.of() : profiles.history(p.id()), now);
        w.appliedThrough = p.lastOffset();
        if (keep) {
            cache.put(p.id(), w);
        }
        return w;
    }

    private void evaluate(ProfileWindows w, Set<String> dirtyIn, Instant now, String cause) {
        List<MembershipChange> changes = new ArrayList<>();
        Set<String> dirty = dirtyIn;
        // Events that left their windows since the last evaluation of this state (a timer, or an
        // event arriving first): the segments reading those aggregates are re-evaluated, no others.
        List<Aggregate> expired = w.expire(now);
        boolean overdueFresh = w.fresh && w.scheduledTimer.isPresent() && !w.scheduledTimer.get().isAfter(now);
        w.fresh = false;
        if (!expired.isEmpty() || overdueFresh) {
            dirty = new HashSet<>(dirtyIn);
            for (Aggregate a : expired) {
                dirty.addAll(catalog.readingAggregate(a));
            }
            if (overdueFresh) {
                // A state just built from history, whose timer is overdue: some window expired
                // since the stored memberships were computed, and the state cannot tell which.
                for (CompiledSegment s : catalog.ordered()) {
                    if (s.timeDependent() && w.covers(s)) {
                        dirty.add(s.key());
                    }
                }
            }
        }
        if (!dirty.isEmpty()) {
            SegmentInput input = w.input(now, scores);
            Set<String> changed = new HashSet<>(4);
            for (CompiledSegment s : catalog.ordered()) {
                boolean readsChanged = !changed.isEmpty() && !s.dependsOn().isEmpty() && s.dependsOn().stream().anyMatch(changed::contains);
                if (!dirty.contains(s.key()) && !readsChanged || !w.covers(s)) {
                    continue;
                }
                boolean member = s.evaluate(input).member();
                if (member != w.memberships.containsKey(s.key())) {
                    if (member) {
                        w.memberships.put(s.key(), now);
                    } else {
                        w.memberships.remove(s.key());
                    }
                    changed.add(s.key());
                    changes.add(new MembershipChange(s.key(), s.definition().version(), w.profileId(), member, now, cause));
                }
            }
        }
        // Memberships of deleted segments are the registry's to clear; drop them from the cache view.
        w.memberships.keySet().removeIf(k -> catalog.get(k).isEmpty());
        publish(changes);
        reschedule(w, now);
    }

    private void reschedule(ProfileWindows w, Instant now) {
        Optional<Instant> next = w.nextExpiry(now);
        if (!w.exactExpiry) {
            // A partial state knows only its own windows: the profile's timer may only move earlier
            // (an early timer re-evaluates over the full state and reschedules exactly).
            if (next.isEmpty() || w.scheduledTimer.filter(t -> !t.isAfter(next.get())).isPresent()) {
                return;
            }
        }
        if (!next.equals(w.scheduledTimer)) {
            pendingTimers.put(w.profileId(), next);
            if (next.isPresent()) {
                pendingTimerPartitions.put(w.profileId(), timerPartition.applyAsInt(w.profile()));
            }
            w.scheduledTimer = next;
        }
    }

    private void retire(String profileId, Instant now, String cause) {
        ProfileWindows cached = cache.remove(profileId);
        Map<String, Instant> current = cached != null ? cached.memberships : storedMemberships(profileId);
        List<MembershipChange> exits = new ArrayList<>();
        for (String key : current.keySet()) {
            int version = catalog.get(key).map(s -> s.definition().version()).orElse(0);
            exits.add(new MembershipChange(key, version, profileId, false, now, cause));
        }
        publish(exits);
        pendingTimers.put(profileId, Optional.empty());
    }

    private void publish(List<MembershipChange> changes) {
        pendingChanges.addAll(changes);
        changes.forEach(c -> pendingProfiles.add(c.profileId()));
    }

    /** The durable memberships of a profile with the changes not yet written laid over them. */
    private Map<String, Instant> storedMemberships(String profileId) {
        Map<String, Instant> m = memberships.memberships(profileId);
        if (pendingProfiles.contains(profileId)) {
            m = new HashMap<>(m);
            for (MembershipChange c : pendingChanges) {
                if (c.profileId().equals(profileId)) {
                    if (c.entered()) {
                        m.put(c.segment(), c.at());
                    } else {
                        m.remove(c.segment());
                    }
                }
            }
        }
        return m;
    }

    private Optional<Instant> storedTimer(String profileId) {
        Optional<Instant> pending = pendingTimers.get(profileId);
        return pending != null ? pending : timers.scheduled(profileId);
    }

    /** Stops recording log positions while a {@link MembershipRecovery} runs (batches still get written). */
    void holdPositions() {
        recovering = true;
    }

    /**
     * Ends a recovery: records, per partition, the later of {@code recoveredThrough} and the last
     * batch written meanwhile, unless a write failed since (then the next start recovers again).
     */
    void releasePositions(Map<Integer, Long> recoveredThrough) {
        lock.lock();
        try {
            recovering = false;
            Map<Integer, Long> positions = new HashMap<>(recoveredThrough);
            heldPositions.forEach((k, v) -> positions.merge(k, v, Math::max));
            heldPositions.clear();
            if (!positionsFrozen) {
                memberships.apply(List.of(), positions);
            }
        } finally {
            lock.unlock();
        }
    }

    /** After a failure mid-operation: nothing in memory may claim what the stores do not hold. */
    private void abandon() {
        pendingChanges.clear();
        pendingProfiles.clear();
        pendingTimers.clear();
        pendingTimerPartitions.clear();
        pendingPositions.clear();
        cache.clear();
        positionsFrozen = true;
    }

    /**
     * Makes the pending writes durable (timers, then memberships with the log position), then
     * tells listeners. On a failure everything pending is abandoned (see {@link #abandon}).
     */
    private void flush() {
        try {
            timers.apply(pendingTimers, pendingTimerPartitions);
            if (recovering) {
                pendingPositions.forEach((k, v) -> heldPositions.merge(k, v, Math::max));
            }
            Map<Integer, Long> positions = positionsFrozen || recovering ? Map.of() : Map.copyOf(pendingPositions);
            if (!pendingChanges.isEmpty() || !positions.isEmpty()) {
                List<MembershipChange> changes = List.copyOf(pendingChanges);
                memberships.apply(changes, positions);
                pendingChanges.clear();
                pendingProfiles.clear();
                pendingTimers.clear();
                pendingPositions.clear();
                if (!changes.isEmpty()) {
                    for (MembershipListener l : listeners) {
                        l.onChanges(changes);
                    }
                }
            }
        } catch (RuntimeException e) {
            abandon();
            throw e;
        } finally {
            pendingTimers.clear();
            pendingTimerPartitions.clear();
            pendingPositions.clear();
        }
    }
}
