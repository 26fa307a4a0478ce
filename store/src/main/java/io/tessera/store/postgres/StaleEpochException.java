package io.tessera.store.postgres;

/**
 * A segment write (memberships, timers, positions) was rolled back because another node claimed
 * one of this node's partitions since this node did ({@link PostgresOwnerEpochs}): this node has
 * been fenced out of the partition and must not write for it.
 */
public final class StaleEpochException extends RuntimeException {
    private final int partition;
    private final long held;
    private final long stored;

    public StaleEpochException(int partition, long held, long stored) {
        super("partition " + partition + " was claimed by another node: this node holds owner epoch " + held
                + ", the store holds " + stored);
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
