package io.tessera.profile;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tessera.event.EventBatchHandler;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.ProfileStore.ProfileCommit;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Applies the event log to profiles: identity resolution, anonymous → known merges, traits by
 * event time, per-event-name aggregates and the recent timeline (see {@link BatchApplication} and
 * {@link ProfileState} for the rules), one {@link ProfileStore#commit} per batch, then tells the
 * {@link ProfileChangeListener}s.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>Exactly-once effect.</b> The commit carries the batch's last offset; events at or below
 *       the stored offset of their partition are skipped, so redelivery after a crash changes
 *       nothing. It also carries the offset the batch started from, and the store applies it only
 *       if that is still the stored one ({@link FencedCommitException} otherwise): a node that
 *       lost its partition without noticing (fenced out of the Kafka group) cannot commit a late
 *       batch over its successor's. A messageId already applied (in this batch, or among the last
 *       {@code dedupeWindow} this engine applied) is skipped too: the embedded log never stores
 *       one twice, Kafka might.</li>
 *   <li><b>Caches.</b> Bounded Caffeine caches of hot profiles and of identity → profile links,
 *       filled from the store on a miss and written through after each commit. The engine is the
 *       only writer of profile state, so the caches are never stale; if a commit fails they are
 *       emptied and the batch is redelivered from the store's offset.</li>
 *   <li><b>Determinism.</b> Everything derives from the events and their order: profile ids come
 *       from the creating event's messageId, merge times are event times. Replaying the log into
 *       an empty store ({@link ProfileRebuild}) gives the same profiles.</li>
 * </ul>
 *
 * <p><b>Threading.</b> The log calls {@link #onBatch} from one thread per partition (the
 * embedded log has one); calls are serialized on this object's monitor, so partitions take turns
 * and listeners run on that thread, after the commit. {@link #addListener} may be called from any
 * thread.
 */
public final class ProfileEngine implements EventBatchHandler {

    /**
     * @param mergeDifferentUserIds merge profiles even when they carry different userIds (default off:
     *                              a shared email or device never joins two known users)
     * @param cachedProfiles        hot profiles kept in memory
     * @param dedupeWindow          recently applied messageIds remembered for dedupe
     */
    public record Options(boolean mergeDifferentUserIds, long cachedProfiles, long dedupeWindow) {
        public static Options defaults() {
            return new Options(false, 10_000, 100_000);
        }
    }

    private final ProfileStore store;
    private final InstantSource clock;
    private final Options options;
    private final Cache<String, Profile> profiles;
    private final Cache<Identity, Optional<String>> links;
    private final Cache<String, Boolean> recentMessageIds;
    private final Map<Integer, Long> appliedUpTo = new HashMap<>();
    private final java.util.Set<Integer> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<ProfileChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final BatchApplication.Committed committed = new BatchApplication.Committed() {
        @Override
        public Optional<String> resolve(Identity identity) {
            return links.get(identity, store::resolve);
        }

        @Override
        public Profile load(String profileId) {
            return profiles.get(profileId, id -> store.get(id).orElseThrow(
                    () -> new IllegalStateException("identity links point to missing profile " + id)));
        }
    };
    private volatile Optional<Instant> lastCommitAt = Optional.empty();
    private volatile long eventsApplied;

    public ProfileEngine(ProfileStore store, InstantSource clock) {
        this(store, clock, Options.defaults());
    }

    public ProfileEngine(ProfileStore store, InstantSource clock, Options options) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        // maintenance on the engine thread: the caches have one user, and handing eviction to the
        // common pool cost ~10% of apply time in unpark calls (ApplyEventBenchmark, -prof stack)
        this.profiles = Caffeine.newBuilder().executor(Runnable::run).maximumSize(options.cachedProfiles()).build();
        this.links = Caffeine.newBuilder().executor(Runnable::run).maximumSize(options.cachedProfiles() * 8).build();
        this.recentMessageIds = Caffeine.newBuilder().executor(Runnable::run).maximumSize(options.dedupeWindow()).build();
    }

    public void addListener(ProfileChangeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public synchronized long resumeAfter(int partition) {
        return appliedUpTo.computeIfAbsent(partition, store::resumeAfter);
    }

    @Override
    public synchronized void onBatch(int partition, List<LoggedEvent> batch) {
        long after = resumeAfter(partition);
        long last = after;
        BatchApplication work = new BatchApplication(committed, options.mergeDifferentUserIds(), separations(), !listeners.isEmpty());
        for (LoggedEvent e : batch) {
            if (e.offset() <= after) {
                continue;
            }
            last = Math.max(last, e.offset());
            String messageId = e.event().messageId();
            if (!work.applied(messageId) && recentMessageIds.getIfPresent(messageId) == null) {
                work.apply(e);
            }
        }
        if (last == after) {
            return;
        }
        commit(work, work.toCommit(Map.of(partition, last), Map.of(partition, after)));
        appliedUpTo.put(partition, last);
        for (ProfileChange change : work.changes()) {
            for (ProfileChangeListener l : listeners) {
                l.onChange(change);
            }
        }
        for (ProfileChangeListener l : listeners) {
            l.onBatchCommitted(partition, last);
        }
        notifyAll();
    }

    /**
     * Another node owns these partitions now (Kafka rebalance): forget their applied offsets, so a
     * later assignment resumes from the store, and empty the caches, whose profiles that node may
     * change from now on.
     */
    @Override
    public synchronized void onPartitionsRevoked(List<Integer> partitions) {
        owned.removeAll(partitions);
        partitions.forEach(appliedUpTo::remove);
        profiles.invalidateAll();
        links.invalidateAll();
        for (ProfileChangeListener l : listeners) {
            l.onPartitionsRevoked(partitions);
        }
    }

    @Override
    public synchronized void onPartitionsAssigned(List<Integer> partitions) {
        owned.addAll(partitions);
        for (ProfileChangeListener l : listeners) {
            l.onPartitionsAssigned(partitions);
        }
    }

    /**
     * The log partitions the log has assigned to this engine (Kafka), and not revoked since; empty
     * with a log that does not assign (embedded: this engine is the only one). Any thread.
     */
    public java.util.Set<Integer> ownedPartitions() {
        return java.util.Set.copyOf(owned);
    }

    private void commit(BatchApplication work, ProfileCommit commit) {
        try {
            store.commit(commit);
        } catch (RuntimeException e) {
            profiles.invalidateAll();
            links.invalidateAll();
            appliedUpTo.clear();
            throw e;
        }
        commit.upserts().forEach(p -> profiles.put(p.id(), p));
        profiles.invalidateAll(work.deleted());
        work.links().forEach((identity, id) -> links.put(identity, Optional.of(id)));
        work.messageIds().forEach(id -> recentMessageIds.put(id, Boolean.TRUE));
        eventsApplied += commit.history().size();
        lastCommitAt = Optional.of(clock.instant());
    }

    /**
     * The separated pairs, read from the store the first time a batch is about to merge (merges are
     * rare; reading then, not once at start, lets a reversal made on another node take effect here).
     */
    private java.util.function.Supplier<Separations> separations() {
        Separations[] read = new Separations[1];
        return () -> {
            if (read[0] == null) {
                read[0] = Separations.of(store.separations());
            }
            return read[0];
        };
    }

    /**
     * Reverses a recorded merge (an admin call; see {@link MergeReversal}): the absorbed profile
     * comes back with its events and identifiers, the pair is stored as separated so later events
     * that name both never merge them again, and listeners hear of both profiles — the survivor
     * first, as a change whose {@code mergedAway} names the restored id (which makes them reload
     * the survivor whole), then the restored profile as new. Serialized with batch application.
     *
     * @param profileId either side of the merge (the survivor, or the absorbed id)
     */
    public synchronized MergeReversal.Outcome reverseMerge(String profileId, String mergeId) {
        MergeReversal.Outcome outcome = new MergeReversal(store, options.mergeDifferentUserIds())
                .reverse(profileId, mergeId, clock.instant());
        if (outcome instanceof MergeReversal.Outcome.Reversed r) {
            ProfileStore.Separation s = r.split().separation();
            Optional<Profile> survivorBefore = profile(s.into());
            try {
                store.split(r.split());
            } finally {
                profiles.invalidateAll();
                links.invalidateAll();
            }
            tellListenersOfSplit(r.split(), survivorBefore);
        }
        return outcome;
    }

    private void tellListenersOfSplit(ProfileStore.ProfileSplit split, Optional<Profile> survivorBefore) {
        String into = split.separation().into();
        List<Profile> ordered = new java.util.ArrayList<>(split.profiles());
        ordered.sort(java.util.Comparator.comparing((Profile p) -> !p.id().equals(into)));
        for (Profile p : ordered) {
            Optional<LoggedEvent> last = split.history().stream().filter(h -> h.profileId().equals(p.id()))
                    .max(java.util.Comparator.comparingLong(ProfileStore.HistoryEntry::offset))
                    .map(h -> new LoggedEvent(0, h.offset(), h.event()));
            Profile after = store.get(p.id()).orElse(p);
            boolean survivor = p.id().equals(into);
            ProfileChange change = new ProfileChange(survivor ? survivorBefore : Optional.empty(), after,
                    last.orElseThrow(), survivor ? List.of(split.separation().from()) : List.of());
            listeners.forEach(l -> l.onChange(change));
        }
    }

    /** The profile as last committed (from the cache when hot). */
    public Optional<Profile> profile(String profileId) {
        Profile hot = profiles.getIfPresent(profileId);
        return hot != null ? Optional.of(hot) : store.get(profileId);
    }

    /** Events applied by this engine instance since it started (not counting skipped ones). */
    public long eventsApplied() {
        return eventsApplied;
    }

    /** When this engine last committed a batch; for readiness and staleness checks. */
    public Optional<Instant> lastCommitAt() {
        return lastCommitAt;
    }

    /**
     * Blocks until the engine has applied the partition up to {@code offset}, or the timeout
     * passes. Returns whether it got there. For rebuilds, imports and tests.
     */
    public synchronized boolean awaitApplied(int partition, long offset, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (resumeAfter(partition) < offset) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
