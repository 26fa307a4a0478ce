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
 *   <li><b>Partitions.</b> With a partitioned log ({@link ProfilePartitions}) a batch writes only
 *       the profiles of its own partition; merges and events of profiles that live elsewhere travel
 *       as relay records ({@link CrossPartition}), stored with the commit (an outbox) and appended
 *       to the log after it; a partition's new owner sends what its predecessor left unsent. Caches
 *       are emptied whenever the assignment changes, and links to other partitions' profiles are
 *       read again from the store.</li>
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
    private final ProfilePartitions partitions;
    /** Relay records committed but not yet acknowledged by the log, by the partition that decided them. */
    private final Map<Integer, List<ProfileStore.Relay>> unsent = new HashMap<>();
    private final Cache<String, Profile> profiles;
    private final Cache<Identity, Optional<String>> links;
    private final Cache<String, Boolean> recentMessageIds;
    private final Map<Integer, Long> appliedUpTo = new HashMap<>();
    private final java.util.Set<Integer> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<ProfileChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final BatchApplication.Committed committed = new BatchApplication.Committed() {
        @Override
        public Optional<String> resolve(Identity identity) {
            if (partitions.count() == 1) {
                return links.get(identity, store::resolve);
            }
            // another partition may link the identity any time: only links found are cached
            Optional<String> hit = links.getIfPresent(identity);
            return hit != null ? hit : resolveFresh(identity);
        }

        @Override
        public Optional<String> resolveFresh(Identity identity) {
            Optional<String> found = store.resolve(identity);
            found.ifPresent(id -> links.put(identity, Optional.of(id)));
            return found;
        }

        @Override
        public Profile load(String profileId) {
            return profiles.get(profileId, id -> store.get(id).orElseThrow(
                    () -> new IllegalStateException("identity links point to missing profile " + id)));
        }

        @Override
        public Optional<Profile> find(String profileId) {
            Profile hot = profiles.getIfPresent(profileId);
            if (hot != null) {
                return Optional.of(hot);
            }
            Optional<Profile> stored = store.get(profileId);
            stored.ifPresent(p -> profiles.put(p.id(), p));
            return stored;
        }

        @Override
        public List<ProfileStore.MergeRecord> merges(String profileId) {
            return store.merges(profileId);
        }

        @Override
        public boolean relayApplied(String key) {
            return store.relayApplied(key);
        }
    };
    private volatile Optional<Instant> lastCommitAt = Optional.empty();
    private volatile long eventsApplied;
    private volatile long relaysSent;

    public ProfileEngine(ProfileStore store, InstantSource clock) {
        this(store, clock, Options.defaults());
    }

    public ProfileEngine(ProfileStore store, InstantSource clock, Options options) {
        this(store, clock, options, ProfilePartitions.SINGLE);
    }

    /** @param partitions where profiles live: {@link ProfilePartitions#SINGLE} for the embedded log */
    public ProfileEngine(ProfileStore store, InstantSource clock, Options options, ProfilePartitions partitions) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.partitions = Objects.requireNonNull(partitions, "partitions");
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

    /** The profile engine reads the relay records of a partitioned log (other consumers never see them). */
    @Override
    public boolean receivesRelays() {
        return true;
    }

    @Override
    public synchronized void onBatch(int partition, List<LoggedEvent> batch) {
        sendUnsent();
        long after = resumeAfter(partition);
        long last = after;
        BatchApplication work = new BatchApplication(committed, options.mergeDifferentUserIds(), separations(), !listeners.isEmpty(),
                partition, partitions, id -> recentMessageIds.getIfPresent(id) != null);
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
        if (!work.relays().isEmpty()) {
            unsent.computeIfAbsent(partition, p -> new java.util.ArrayList<>()).addAll(work.relays());
            sendUnsent();
        }
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
        partitions.forEach(unsent::remove); // in the store's outbox: the new owner sends them
        profiles.invalidateAll();
        links.invalidateAll();
        for (ProfileChangeListener l : listeners) {
            l.onPartitionsRevoked(partitions);
        }
    }

    @Override
    public synchronized void onPartitionsAssigned(List<Integer> partitions) {
        owned.addAll(partitions);
        if (this.partitions.count() > 1) {
            // cached profiles of these partitions were written by their previous owner
            profiles.invalidateAll();
            links.invalidateAll();
            for (int p : partitions) {
                List<ProfileStore.Relay> left = store.pendingRelays(p);
                if (!left.isEmpty()) {
                    unsent.computeIfAbsent(p, k -> new java.util.ArrayList<>()).addAll(left);
                }
            }
            sendUnsent();
        }
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

    /**
     * Appends the relay records committed so far and, once the log has them, drops them from the
     * store's outbox. A failure leaves them for the next batch (and in the outbox for a successor).
     */
    private void sendUnsent() {
        if (unsent.isEmpty()) {
            return;
        }
        List<ProfileStore.Relay> all = unsent.values().stream().flatMap(List::stream).toList();
        try {
            partitions.send(all.stream().map(r -> new io.tessera.event.EventLog.KeyedEvent(r.key(), r.record())).toList()).join();
        } catch (RuntimeException e) {
            return; // the log is down; the batch loop retries, the outbox keeps them
        }
        unsent.clear();
        store.relaysSent(all.stream().map(ProfileStore.Relay::messageId).toList());
        relaysSent += all.size();
    }

    /** Sends relay records a failed append left behind (the log calls this when it has nothing new). */
    @Override
    public synchronized void onIdle() {
        sendUnsent();
    }

    /** Relay records this engine appended to the log (cross-partition merges and forwarded events). */
    public long relaysSent() {
        return relaysSent;
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

    /**
     * {@link #reverseMerge} on the engine that owns the survivor's partition, empty on any other
     * (docs/SCALE-OUT.md, "Merge reversals"): only the owner may write the survivor, and only its
     * caches hold it, so a reversal written elsewhere would be lost at the owner's next commit. The
     * check and the reversal are one step on this engine's monitor, so the partition cannot be
     * revoked in between. An engine with no assignment (embedded) owns everything; a merge that
     * is unknown, already reversed or superseded is refused by whichever engine is asked (nothing
     * is written).
     */
    public synchronized Optional<MergeReversal.Outcome> reverseMergeIfOwner(String profileId, String mergeId) {
        if (!owned.isEmpty()) {
            Optional<Integer> home = store.merges(profileId).stream().filter(m -> m.id().equals(mergeId)).findFirst()
                    .filter(m -> store.separations().stream().noneMatch(s -> s.mergeId().equals(mergeId)))
                    .flatMap(m -> profile(m.into())).flatMap(Profile::homeKey).map(partitions::partitionOf);
            if (home.isPresent() && !owned.contains(home.get())) {
                return Optional.empty();
            }
        }
        return Optional.of(reverseMerge(profileId, mergeId));
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
