package io.tessera.segment;

import java.util.Collection;
import java.util.List;

/**
 * Which partitions of a segment version's backfill are done, shared by the nodes of a cluster
 * ({@link PartitionBackfills}): the node that saves a version opens one entry per log partition,
 * each partition's owner marks its own done once its writes are durable, and a partition's next
 * owner finds the entries still open. The embedded mode needs none (one node backfills everything,
 * {@link Backfill}).
 *
 * <p>Adapter: {@code store.postgres.PostgresBackfillLedger}. Thread-safe.
 */
public interface BackfillLedger {

    /** One partition's part of a version's backfill that is not done yet. */
    record Open(String segment, int version, int partition) {}

    /** A version's backfill over the cluster: partitions done of all, profiles evaluated so far. */
    record Summary(int partitionsDone, int partitions, long profiles) {}

    /** Opens the version's backfill for partitions {@code 0..partitions-1} (again: nothing changes). */
    void open(String segment, int version, int partitions);

    /** Records how many profiles of the partition were evaluated so far, and by which node. */
    void progress(String segment, int version, int partition, long profiles, String node);

    /** Marks the partition's part done: its writes are durable. */
    void done(String segment, int version, int partition, long profiles, String node);

    /** The open entries of these partitions, for every version (the caller keeps the active ones). */
    List<Open> open(Collection<Integer> partitions);

    /** The version's backfill as a whole; zero partitions when it was never opened. */
    Summary summary(String segment, int version);
}
