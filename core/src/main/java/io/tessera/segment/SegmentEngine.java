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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Keeps segment memberships current, incrementally.
 *
 * <p><b>Implementation notes.</b> For each profile the engine keeps a {@link ProfileWindows}
 * ({@link WindowStates}: a bounded cache, rebuilt from {@code ProfileStore.history} on a miss): one
 * state per aggregate the active segments read ({@link AggregateStates}), the current memberships and the
 * profile's window timer. On a profile change it applies the event to the matching aggregates and
 * re-evaluates ({@link MembershipEvaluator}) only the segments that read them (plus those reading
 * traits when traits changed, all of them for a new profile, and the dependents of any segment
 * whose membership changed, in dependency order), then moves the profile's timer to the earliest
 * instant an event leaves a window ({@link #fireDueTimers}). State is a pure function of history,
 * clock and catalog, which is also how a restart recovers (memberships and timers are durable;
 * windows are not).
 *
 * <p><b>Writes and durability.</b> An operation (a profile-engine batch, ended by
 * {@link #onBatchCommitted}; a page of timers; a backfill page; a rescore) collects its writes in
 * {@link PendingWrites} and hands them to the {@link MembershipWriter} at its end, which writes
 * them behind the engine as a group commit and then tells the listeners; see its durability rule.
 * Profiles are committed before their segment writes, so a crash in between leaves memberships
 * behind the profile store; they are derivable from it: {@link MembershipRecovery} re-evaluates, at
 * start-up, every profile whose last offset is past the recorded position. After a failed write
 * the engine stops recording positions (so the next start recovers), and drops its cache.
 *
 * <p><b>Threading.</b> Every method that reads or writes profile state holds {@code lock}; callers
 * are the profile engine's thread ({@link #onProfileChange}), the timer runner, backfills and
 * recoveries, which take the lock per page so live events interleave. A backfill page builds the
 * states it needs outside the lock, on the common fork-join pool ({@link #evaluatePage}). Listeners
 * run on the writer's thread.
 */
public final class SegmentEngine implements ProfileChangeListener {
    /** A page's states are built in chunks of this many profiles, one bulk history read each, in parallel. */
    private static final int BUILD_CHUNK = 250;

    private final ProfileStore profiles;
    private final WindowTimerStore timers;
    private final InstantSource clock;
    private final ProfileScores scores;
    private final MembershipWriter writer;
    // Fair: the timer runner and the profile engine thread alternate (a barging lock let either
    // starve the other while it had work: SegmentBench, JFR, docs/BENCHMARKS.md "Segments").
    private final ReentrantLock lock = new ReentrantLock(true);
    private final PendingWrites pending = new PendingWrites();
    private final WindowStates states;
    private final MembershipEvaluator evaluator;
    private volatile SegmentCatalog catalog = SegmentCatalog.EMPTY;
    /** Profiles changed by events while a page's states were being built outside the lock. */
    private final List<Set<String>> watchers = new ArrayList<>();
    // Set after a failed write: the recorded position must stay where the durable state is.
    private boolean positionsFrozen;
    private volatile boolean recovering;
    private final Map<Integer, Long> heldPositions = new HashMap<>();

    /** Writes on the calling thread ({@link MembershipWriter#inline}). */
    public SegmentEngine(ProfileStore profiles, MembershipStore memberships, WindowTimerStore timers,
                         ProfileScores scores, InstantSource clock, int maxCachedProfiles) {
        this(profiles, MembershipWriter.inline(memberships, timers), timers, scores, clock, maxCachedProfiles);
    }

    /** Writes through {@code writer} (over the same stores), e.g. behind the engine on its own thread. */
    public SegmentEngine(ProfileStore profiles, MembershipWriter writer, WindowTimerStore timers,
                         ProfileScores scores, InstantSource clock, int maxCachedProfiles) {
        this.profiles = profiles;
        this.timers = timers;
        this.clock = clock;
        this.scores = scores;
        this.writer = writer;
        this.states = new WindowStates(profiles, writer, pending, maxCachedProfiles);
        this.evaluator = new MembershipEvaluator(scores, pending);
    }

    /**
     * How a profile's window timer is filed: under the log partition its events go to, so the node
     * owning that partition fires it ({@link #fireDueTimers(int, Supplier)}).
     * Default: partition 0 (the embedded log has one).
     */
    public void partitionTimersBy(ToIntFunction<Profile> partitionOf) {
        evaluator.partitionTimersBy(java.util.Objects.requireNonNull(partitionOf, "partitionOf"));
    }

    /**
     * The profile engine gave these partitions away: forget every cached window (their profiles
     * are another node's to change now) and wait until every change made here is written, so the
     * new owner reads them. Taking the lock waits for a timer pass in progress, so when this
     * returns nothing here fires those partitions' timers any more.
     */
    @Override
    public void onPartitionsRevoked(List<Integer> partitions) {
        dropCache();
        writer.awaitWritten();
    }

    /** Listeners get each written group of changes, in order, on the writer's thread. */
    public void addListener(MembershipListener listener) {
        writer.addListener(listener);
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

    /** Guarded by {@code lock}; read through {@link #writeFailures}. */
    private long writeFailures;

    /** Blocks until every change made so far is durable and delivered. Not for the profile engine's thread in a hurry. */
    public void awaitWritten() {
        writer.awaitWritten();
    }

    @Override
    public void onChange(ProfileChange change) {
        onProfileChange(change.before(), change.after(), change.cause(), change.mergedAway());
    }

    @Override
    public void onBatchCommitted(int partition, long lastOffset) {
        locked(() -> {
            pending.position(partition, lastOffset);
            return null;
        });
    }

    /**
     * Applies one durable profile change (the profile engine's listener). Its writes are handed to
     * the writer at the next {@link #onBatchCommitted} (or the next timer, backfill or rescore operation).
     */
    public void onProfileChange(Optional<Profile> before, Profile after, LoggedEvent cause, Collection<String> mergedAway) {
        // Backpressure before the lock: a full writer queue holds back events, never the timers.
        writer.awaitCapacity();
        lock.lock();
        try {
            surfaceWriteFailure();
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
        SegmentCatalog catalog = this.catalog;
        Event event = cause.event();
        for (Set<String> w : watchers) {
            w.add(after.id());
            w.addAll(mergedAway);
        }
        for (String gone : mergedAway) {
            ProfileWindows cached = states.remove(gone);
            evaluator.retire(gone, cached != null ? cached.memberKeys() : states.memberships(gone).keySet(), catalog, now, "merge:" + event.messageId());
        }
        ProfileWindows w = states.cached(after.id(), catalog);
        Set<String> dirty = new HashSet<>();
        if (w == null || !mergedAway.isEmpty()) {
            states.remove(after.id());
            // On the profile engine's thread the store holds exactly the committed batches, so the
            // loaded state is consistent with the stored profile's last offset.
            Profile stored = profiles.get(after.id()).orElse(after);
            w = states.load(stored, catalog, now, true);
            // Stored memberships are current except for what this event (and an overdue
            // timer, see MembershipEvaluator) can change. A merge, or a store already holding later
            // events of this batch (whose deliveries will now be skipped), can change anything.
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
                    readingProfile(catalog, dirty);
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
            // An unchanged profile keeps its snapshot: conditions read only traits and identities,
            // and a new snapshot per event was old-generation garbage at every young collection.
            if (profileChanged) {
                w.setProfile(after);
                readingProfile(catalog, dirty);
            }
        }
        if (before.isEmpty()) {
            dirty.addAll(catalog.keys());
        }
        evaluator.evaluate(w, dirty, catalog, now, "event:" + event.messageId());
    }

    private static void readingProfile(SegmentCatalog catalog, Set<String> dirty) {
        for (CompiledSegment s : catalog.ordered()) {
            if (s.readsProfile()) {
                dirty.add(s.key());
            }
        }
    }

    /**
     * How many due timers a caller of {@link #fireDueTimers} should fire per call: each call holds
     * the engine's lock for its page, and an event arriving meanwhile waits for the whole page
     * (500 timers a page held it ~10 ms, the tail of the event latency at 10,000 events/s:
     * SegmentBench, docs/BENCHMARKS.md "Segments, session 8"). The fair lock lets events in
     * between pages.
     */
    public static final int TIMER_PAGE = 200;

    /**
     * How often a timer runner should fire the due timers. Often, so the work is even: at 10,000
     * events/s ~13,000 timer changes fall due a second, and fired every 100 ms they reached the
     * writer as one large urgent group ten times a second, which the event batches queued behind
     * (SegmentBench, docs/BENCHMARKS.md "Segments, session 9"). A call that finds nothing due costs
     * a look at the head of the due order.
     */
    public static final java.time.Duration TIMER_PERIOD = java.time.Duration.ofMillis(20);

    /** Fires the window timers due now; returns how many fired. Call again while it returns {@code limit}. */
    public int fireDueTimers(int limit) {
        return fireDueTimers(limit, Optional::empty);
    }

    /**
     * Fires the window timers due now of the log partitions {@code owned} gives (read under the
     * lock; empty: all partitions, as in the embedded mode); returns how many fired.
     */
    public int fireDueTimers(int limit, Supplier<Optional<Set<Integer>>> owned) {
        synchronized (timerPages) {
            // Pipelined: pages are read while earlier ones are being written, at most
            // TIMER_PAGES_AHEAD of them (a writer slower than that holds the timer runner here, at
            // most a second a page).
            while (timerPages.size() >= TIMER_PAGES_AHEAD) {
                writer.awaitWritten(timerPages.pollFirst()[0], java.util.concurrent.TimeUnit.SECONDS.toNanos(1));
            }
            timerPages.removeIf(p -> writer.awaitWritten(p[0], 0));
            int inFlight = timerPages.stream().mapToInt(p -> (int) p[1]).sum();
            long[] written = {0};
            // urgent: the writer commits a timer's changes ahead of queued event batches (other profiles)
            int fired = locked(true, () -> fireDue(limit, inFlight, owned), seq -> written[0] = seq);
            if (written[0] != 0) {
                timerPages.addLast(new long[] {written[0], fired});
            }
            return fired;
        }
    }

    /**
     * Timer pages handed to the writer and perhaps not written yet, oldest first: {writer's number,
     * timers fired}. Until a page is written the store still returns its timers as due; they are
     * skipped (the writer has their moves), and the store is asked for that many more. Before, a
     * drain loop re-fired them as no-ops until the writer caught up, taking a core from the events
     * (SegmentBench, JFR); waiting for each page's commit instead fired too few in the steady state
     * (docs/BENCHMARKS.md "Segments, session 8").
     */
    private final java.util.ArrayDeque<long[]> timerPages = new java.util.ArrayDeque<>();

    /**
     * Timer pages handed to the writer and not yet written, at most. After a young collection the
     * writer commits a large group of event batches; an urgent timer page waits for it, and with
     * one page ahead the timers fell 1.6 s behind in one steady-state run (SegmentBench,
     * docs/BENCHMARKS.md "Segments, session 8").
     */
    private static final int TIMER_PAGES_AHEAD = 8;

    /** Fires up to {@code limit} due timers whose moves the writer does not hold yet (about {@code inFlight} do); returns how many. */
    private int fireDue(int limit, int inFlight, Supplier<Optional<Set<Integer>>> owned) {
        Instant now = clock.instant();
        SegmentCatalog catalog = this.catalog;
        Optional<Set<Integer>> partitions = owned.get();
        List<WindowTimerStore.WindowTimer> due = (partitions.isPresent()
                ? (partitions.get().isEmpty() ? List.<WindowTimerStore.WindowTimer>of() : timers.due(now, limit + inFlight, partitions.get()))
                : timers.due(now, limit + inFlight))
                .stream().filter(t -> !writer.timerUnwritten(t.profileId())).limit(limit).toList();
        Set<String> timed = new HashSet<>();
        catalog.ordered().stream().filter(CompiledSegment::timeDependent).forEach(s -> timed.add(s.key()));
        Map<String, ProfileWindows> page = states.page(due.stream().map(WindowTimerStore.WindowTimer::profileId).toList(), timed, catalog, now);
        for (WindowTimerStore.WindowTimer t : due) {
            ProfileWindows w = page.get(t.profileId());
            if (w == null) {
                pending.timer(t.profileId(), Optional.empty(), 0);
                continue;
            }
            w.setScheduledTimer(Optional.of(t.dueAt()));
            // A cached state reports its expiries itself; a fresh one evaluates every timed segment.
            evaluator.evaluate(w, Set.of(), catalog, now, "timer:" + t.dueAt());
        }
        return due.size();
    }

    /** Arena blocks held by cached window states (tests: at most one a cached profile). */
    long cachedStateBlocks() {
        lock.lock();
        try {
            return states.arena().blocksInUse();
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

    /**
     * Re-evaluates several segments (and their dependents) for a page of profiles. The states of
     * profiles not in the cache are built outside the lock, in parallel chunks, each from one bulk
     * read of its profiles' histories ({@link ProfileStore#histories}; reading histories is most of
     * a backfill: SegmentBench, docs/BENCHMARKS.md "Segment backfill, session 6"); a profile an
     * event changed meanwhile is built again under the lock.
     */
    public void evaluatePage(Set<String> segmentKeys, List<String> profileIds, String cause) {
        writer.awaitCapacity();
        Set<String> changedMeanwhile = new HashSet<>();
        SegmentCatalog before;
        List<String> missing = new ArrayList<>();
        lock.lock();
        try {
            before = catalog;
            for (String id : profileIds) {
                if (states.cached(id, before) == null) {
                    missing.add(id);
                }
            }
            watchers.add(changedMeanwhile);
        } finally {
            lock.unlock();
        }
        WindowStates.Scope scopeBefore = WindowStates.Scope.of(dirtyOf(segmentKeys, before), before);
        Map<String, ProfileWindows> built = new java.util.concurrent.ConcurrentHashMap<>();
        Instant then = clock.instant();
        try {
            // one bulk history read per chunk, the chunks on both cores
            List<List<String>> chunks = new ArrayList<>();
            for (int i = 0; i < missing.size(); i += BUILD_CHUNK) {
                chunks.add(missing.subList(i, Math.min(missing.size(), i + BUILD_CHUNK)));
            }
            (chunks.size() > 1 ? chunks.parallelStream() : chunks.stream())
                    .forEach(chunk -> built.putAll(states.build(chunk, scopeBefore, then)));
        } finally {
            lock.lock();
            try {
                watchers.remove(changedMeanwhile);
            } finally {
                lock.unlock();
            }
        }
        locked(() -> {
            Instant now = clock.instant();
            SegmentCatalog catalog = this.catalog;
            Set<String> dirty = dirtyOf(segmentKeys, catalog);
            WindowStates.Scope scope = catalog == before ? scopeBefore : WindowStates.Scope.of(dirty, catalog);
            Map<String, ProfileWindows> page = new HashMap<>();
            Map<String, ProfileWindows> adopted = new HashMap<>();
            for (String id : profileIds) {
                ProfileWindows w = states.cached(id, catalog);
                if (w != null) {
                    page.put(id, w);
                } else if (catalog == before && built.containsKey(id) && !changedMeanwhile.contains(id)) {
                    adopted.put(id, built.get(id));
                } else {
                    states.build(id, scope, now).ifPresent(b -> adopted.put(id, b));
                }
            }
            states.adopt(adopted, scope, page);
            for (String id : profileIds) {
                ProfileWindows w = page.get(id);
                if (w != null) {
                    evaluator.evaluate(w, dirty, catalog, now, cause);
                }
            }
            return null;
        });
    }

    private static Set<String> dirtyOf(Set<String> segmentKeys, SegmentCatalog catalog) {
        Set<String> dirty = new HashSet<>();
        segmentKeys.forEach(k -> dirty.addAll(catalog.dependents(k)));
        return dirty;
    }

    /** Re-evaluates the segments that read scores, after the scores of these profiles changed. */
    public void rescore(Collection<String> profileIds) {
        writer.awaitCapacity();
        locked(() -> {
            Instant now = clock.instant();
            SegmentCatalog catalog = this.catalog;
            Set<String> dirty = new HashSet<>();
            catalog.ordered().stream().filter(CompiledSegment::readsScores).forEach(s -> dirty.add(s.key()));
            if (!dirty.isEmpty()) {
                for (String id : profileIds) {
                    states.windows(id, catalog, now).ifPresent(w -> evaluator.evaluate(w, dirty, catalog, now, "rescore"));
                }
            }
            return null;
        });
    }

    /** Why a profile is (not) in a segment right now. */
    public Optional<Explanation> explain(String segmentKey, String profileId) {
        lock.lock();
        try {
            Instant now = clock.instant();
            Optional<CompiledSegment> s = catalog.get(segmentKey);
            Optional<ProfileWindows> w = states.windows(profileId, catalog, now);
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
            states.clear();
        } finally {
            lock.unlock();
        }
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
            recordPositions(positions);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records log positions the memberships reflect, after every write handed over before (a
     * {@link PartitionHandover} that re-evaluated a partition), unless a write failed since.
     */
    void recordPositions(Map<Integer, Long> positions) {
        lock.lock();
        try {
            if (!positionsFrozen) {
                writer.submit(new MembershipWriter.Writes(List.of(), Map.of(), Map.of(), Map.copyOf(positions)));
                surfaceWriteFailure();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs one operation under the lock and hands its writes to the writer at its end. */
    private <T> T locked(Supplier<T> operation) {
        return locked(false, operation);
    }

    private <T> T locked(boolean urgent, Supplier<T> operation) {
        return locked(urgent, operation, seq -> { });
    }

    /** {@link #locked}, telling {@code submitted} the writer's number of the operation's writes (0: none). */
    private <T> T locked(boolean urgent, Supplier<T> operation, java.util.function.LongConsumer submitted) {
        lock.lock();
        try {
            surfaceWriteFailure();
            T result = operation.get();
            submitted.accept(flush(urgent));
            return result;
        } catch (RuntimeException e) {
            abandon();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** A write behind the engine failed since the last operation: report it to this one's caller. */
    private void surfaceWriteFailure() {
        Optional<RuntimeException> failed = writer.failure();
        if (failed.isPresent()) {
            abandon();
            writeFailures++;
            throw failed.get();
        }
    }

    /**
     * Writes behind the engine that have failed since it started, counting one not yet reported
     * (which is reported here instead, and abandons as any operation would): a
     * {@link PartitionBackfills} task compares the count before and after its pages were written.
     */
    long writeFailures() {
        lock.lock();
        try {
            writer.failure().ifPresent(f -> {
                abandon();
                writeFailures++;
            });
            return writeFailures;
        } finally {
            lock.unlock();
        }
    }

    /** After a failure: nothing in memory may claim what the stores do not hold. */
    private void abandon() {
        pending.clear();
        states.clear();
        positionsFrozen = true;
    }

    /** Hands the operation's writes to the writer (positions held back during a recovery or after a failure). */
    private long flush(boolean urgent) {
        if (recovering) {
            pending.positions().forEach((k, v) -> heldPositions.merge(k, v, Math::max));
        }
        long seq = writer.submit(pending.take(!positionsFrozen && !recovering), urgent);
        surfaceWriteFailure();
        return seq;
    }
}
