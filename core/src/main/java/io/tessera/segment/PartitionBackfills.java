package io.tessera.segment;

import io.tessera.profile.Profile;
import io.tessera.profile.ProfileChange;
import io.tessera.profile.ProfileChangeListener;
import io.tessera.profile.ProfileStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The cluster's {@link Backfill}: a saved segment version is evaluated partition by partition, each
 * by the node that owns the partition, so no node writes the memberships of a profile another node
 * is applying events to, and every backfill write is checked against the owner epochs of the node
 * that makes it (docs/SCALE-OUT.md, "Backfills and merge reversals").
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>Ledger.</b> The saving node {@link #open opens} one {@link BackfillLedger} entry per log
 *       partition before the definition is announced; every node, when its catalog changes
 *       ({@link #resume}) and when partitions are assigned to it, queues the open entries of the
 *       partitions it owns whose version is the active one. A partition's part is marked done only
 *       after its writes are durable and no write of the engine failed meanwhile, so a node that
 *       dies or loses the partition mid-way leaves the entry open for the next owner, which does it
 *       again (evaluation is idempotent).</li>
 *   <li><b>Pages and revocation.</b> A page is evaluated under a read lock, after checking that the
 *       partition is still owned and the version still active. Revocation (on the profile engine's
 *       thread, after the engine has removed the partitions from its owned set and before the
 *       owner epochs are released) takes the write lock, so it waits for a page in flight, then
 *       waits until that page's writes are durable: every backfill write is made while its
 *       partition's epoch is held, and a node fenced out without knowing it has them rolled back
 *       ({@code StaleEpochException}). Register this listener before the one that releases epochs.</li>
 *   <li><b>Which profiles.</b> {@link ProfileStore#idsInPartition}, each checked against
 *       {@code partitionOf} (profiles with no recorded partition are paged in every partition).</li>
 * </ul>
 *
 * <p>Threading: tasks run on {@code executor} (the backfill thread); listener callbacks on the
 * profile engine's thread; {@link #progress} from any thread.
 */
public final class PartitionBackfills implements ProfileChangeListener {
    static final int PAGE = 1000;

    private final ProfileStore profiles;
    private final SegmentEngine engine;
    private final BackfillLedger ledger;
    private final int partitions;
    private final Supplier<Set<Integer>> owned;
    private final ToIntFunction<Profile> partitionOf;
    private final Executor executor;
    private final String node;
    private final ReentrantReadWriteLock pages = new ReentrantReadWriteLock();
    private final Set<BackfillLedger.Open> queued = ConcurrentHashMap.newKeySet();
    private volatile boolean retry;
    private volatile Optional<RuntimeException> lastFailure = Optional.empty();

    /**
     * @param partitions  how many log partitions there are
     * @param owned       the partitions this node owns now
     * @param partitionOf a profile's home partition
     * @param node        this node's name, recorded with each partition's progress
     */
    public PartitionBackfills(ProfileStore profiles, SegmentEngine engine, BackfillLedger ledger, int partitions,
                              Supplier<Set<Integer>> owned, ToIntFunction<Profile> partitionOf, Executor executor, String node) {
        this.profiles = profiles;
        this.engine = engine;
        this.ledger = ledger;
        this.partitions = partitions;
        this.owned = owned;
        this.partitionOf = partitionOf;
        this.executor = executor;
        this.node = node;
    }

    /** Before the version is announced: opens its backfill for every partition. */
    void open(String segment, int version) {
        ledger.open(segment, version, partitions);
    }

    /**
     * Queues the open parts of the active versions in the partitions this node owns (after a save,
     * a catalog refresh, an assignment). A failure to read the ledger (an outage) is retried after
     * the next batch.
     */
    public void resume() {
        Set<Integer> mine = owned.get();
        if (mine.isEmpty()) {
            return;
        }
        retry = false;
        try {
            for (BackfillLedger.Open o : ledger.open(mine)) {
                if (active(o) && queued.add(o)) {
                    executor.execute(() -> run(o));
                }
            }
        } catch (RuntimeException outage) {
            fail(outage);
        }
    }

    /** The version's backfill over the cluster, for the API; empty when it has none. */
    public Optional<Backfill.Progress> progress(String segment) {
        return engine.catalog().get(segment).map(c -> c.definition().version()).flatMap(version -> {
            BackfillLedger.Summary s = ledger.summary(segment, version);
            if (s.partitions() == 0) {
                return Optional.empty();
            }
            boolean done = s.partitionsDone() == s.partitions();
            return Optional.of(new Backfill.Progress(segment, version, s.profiles(), Math.max(profiles.count(), s.profiles()),
                    done ? Backfill.Status.DONE : Backfill.Status.RUNNING));
        });
    }

    /** The last failure of a backfill task or ledger read (retried after the next batch). */
    public Optional<RuntimeException> lastFailure() {
        return lastFailure;
    }

    @Override
    public void onChange(ProfileChange change) {
    }

    @Override
    public void onPartitionsAssigned(List<Integer> assigned) {
        resume();
    }

    @Override
    public void onBatchCommitted(int partition, long lastOffset) {
        if (retry) {
            resume();
        }
    }

    /** Waits for a page in flight, then for its writes: they must land while the epochs are held. */
    @Override
    public void onPartitionsRevoked(List<Integer> revoked) {
        pages.writeLock().lock();
        pages.writeLock().unlock();
        engine.awaitWritten();
    }

    private boolean active(BackfillLedger.Open o) {
        return engine.catalog().get(o.segment()).map(c -> c.definition().version() == o.version()).orElse(false);
    }

    private boolean current(BackfillLedger.Open o) {
        return owned.get().contains(o.partition()) && active(o);
    }

    private void run(BackfillLedger.Open o) {
        try {
            long failuresBefore = engine.writeFailures();
            long evaluated = 0;
            String cursor = "";
            while (true) {
                if (!current(o)) {
                    return; // revoked (the next owner finds the entry open) or superseded
                }
                List<String> ids = profiles.idsInPartition(o.partition(), cursor, PAGE);
                if (ids.isEmpty()) {
                    break;
                }
                List<String> home = ids.stream().filter(id -> profiles.get(id)
                        .filter(p -> partitionOf.applyAsInt(p) == o.partition()).isPresent()).toList();
                // only the evaluation (whose writes it hands to the writer) holds revocation off
                pages.readLock().lock();
                try {
                    if (!current(o)) {
                        return;
                    }
                    if (!home.isEmpty()) {
                        engine.evaluatePage(o.segment(), home, "backfill:v" + o.version());
                    }
                } finally {
                    pages.readLock().unlock();
                }
                evaluated += home.size();
                cursor = ids.getLast();
                ledger.progress(o.segment(), o.version(), o.partition(), evaluated, node);
            }
            engine.awaitWritten();
            pages.readLock().lock();
            try {
                if (current(o) && engine.writeFailures() == failuresBefore) {
                    ledger.done(o.segment(), o.version(), o.partition(), evaluated, node);
                } else {
                    retry = true;
                }
            } finally {
                pages.readLock().unlock();
            }
        } catch (RuntimeException outage) {
            fail(outage);
        } finally {
            queued.remove(o);
        }
    }

    /** An outage (the database, a lost epoch): remembered, and the open parts queued again after the next batch. */
    private void fail(RuntimeException outage) {
        lastFailure = Optional.of(outage);
        retry = true;
    }
}
