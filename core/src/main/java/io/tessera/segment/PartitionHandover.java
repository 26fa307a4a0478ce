package io.tessera.segment;

import io.tessera.profile.Profile;
import io.tessera.profile.ProfileChangeListener;
import io.tessera.profile.ProfileChange;
import io.tessera.profile.ProfileStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The cluster's {@link MembershipRecovery}, per partition and at hand-over rather than at start-up.
 * A node killed between a batch's profile commit and that batch's segment writes leaves the
 * memberships of the batch's profiles behind the profile store, and the new owner of the partition
 * resumes after the stored offset, so it would never re-apply the batch. When a partition is
 * assigned, before its first batch, this compares the partition's profile offset with the position
 * the memberships recorded for it; if they differ it re-evaluates every segment for the profiles
 * of that partition whose last offset is past the position, then records the profile offset.
 *
 * <p>Those profiles are paged from {@link ProfileStore#idsInPartition} (PostgreSQL: the indexed
 * {@code profiles.home_partition}), and each is checked against {@code partitionOf} (a store
 * without partitions pages every id). It runs only when a gap exists (a node died mid-batch).
 *
 * <p>Threading: runs on the profile engine's thread (inside the log's rebalance callback), so no
 * batch of the partition is applied meanwhile; the segment engine's lock is taken per page.
 */
public final class PartitionHandover implements ProfileChangeListener {
    private static final int PAGE = 256;

    private final ProfileStore profiles;
    private final MembershipStore memberships;
    private final SegmentEngine engine;
    private final ToIntFunction<Profile> partitionOf;
    private volatile long repaired;
    /** Partitions whose repair failed (an outage) → the position to repair after; retried after each batch. */
    private final Map<Integer, Long> pending = new java.util.concurrent.ConcurrentHashMap<>();

    public PartitionHandover(ProfileStore profiles, MembershipStore memberships, SegmentEngine engine,
                             ToIntFunction<Profile> partitionOf) {
        this.profiles = profiles;
        this.memberships = memberships;
        this.engine = engine;
        this.partitionOf = partitionOf;
    }

    @Override
    public void onChange(ProfileChange change) {
    }

    /**
     * Repairs each assigned partition that needs it. An outage here (the database down) must not
     * throw out of the log's rebalance callback, which would stop delivery for good: the partition
     * is remembered and repaired after its next batch instead ({@link #onBatchCommitted}), where a
     * failure is an ordinary failed batch that the log retries.
     */
    @Override
    public void onPartitionsAssigned(List<Integer> partitions) {
        for (int partition : partitions) {
            pending.remove(partition);
            long position = -1;
            try {
                position = memberships.appliedThrough().getOrDefault(partition, -1L);
                repairIfBehind(partition, position);
            } catch (RuntimeException outage) {
                pending.put(partition, position);
            }
        }
    }

    @Override
    public void onBatchCommitted(int partition, long lastOffset) {
        Long position = pending.get(partition);
        if (position != null) {
            repair(partition, position);
            engine.recordPositions(Map.of(partition, profiles.resumeAfter(partition)));
            pending.remove(partition);
        }
    }

    @Override
    public void onPartitionsRevoked(List<Integer> partitions) {
        partitions.forEach(pending::remove);
    }

    private void repairIfBehind(int partition, long position) {
        long stored = profiles.resumeAfter(partition);
        if (stored > position) {
            repair(partition, position);
            engine.recordPositions(Map.of(partition, stored));
        }
    }

    private void repair(int partition, long after) {
        String cursor = "";
        List<String> ids;
        while (!(ids = profiles.idsInPartition(partition, cursor, PAGE)).isEmpty()) {
            List<String> stale = new ArrayList<>();
            for (String id : ids) {
                profiles.get(id).filter(p -> p.lastOffset() > after && partitionOf.applyAsInt(p) == partition)
                        .ifPresent(p -> stale.add(p.id()));
            }
            if (!stale.isEmpty()) {
                engine.evaluatePage(Set.copyOf(engine.catalog().keys()), stale, "handover");
                repaired += stale.size();
            }
            cursor = ids.get(ids.size() - 1);
        }
    }

    /** Profiles re-evaluated so far. */
    public long repaired() {
        return repaired;
    }
}
