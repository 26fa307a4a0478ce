package io.tessera.store.postgres;

/**
 * A segment write (memberships, timers, positions) was rolled back because another node claimed
 * one of this node's partitions since this node did ({@link PostgresOwnerEpochs}): this node has
 * been fenced out of the partition and must not write for it. Also while this node's own claim of
 * an assigned partition has not succeeded ({@code held} -1): it cannot prove it owns it yet.
 * A {@link io.tessera.segment.WriteRefusedException}: the segment writer does not retry it.
 */
public final class StaleEpochException extends io.tessera.segment.WriteRefusedException {
    private final int partition;
    private final long held;
    private final long stored;

    public StaleEpochException(int partition, long held, long stored) {
        super(held < 0
                ? "partition " + partition + " is assigned to this node, but its owner epoch could not be claimed yet (the database was unavailable)"
                : "partition " + partition + " was claimed by another node: this node holds owner epoch " + held + ", the store holds " + stored);
        this.partition = partition;
        this.held = held;
        this.stored = stored;
    }

    public int partition() {
        return partition;
    }

    public long held() {
        return held;
    }

    public long stored() {
        return stored;
    }
}
