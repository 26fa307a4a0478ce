package io.tessera.profile;

/**
 * A {@link ProfileStore#commit} was rejected because a partition's stored offset is not the one
 * the batch started from: another node applied that partition meanwhile. In the cluster this is
 * how a node fenced out of the consumer group (stalled past the session timeout) learns that its
 * partition has a new owner; its late batch is rolled back whole. The log adapter treats it like
 * any failed batch: it rewinds the partition to the stored offset (or, having lost the partition,
 * drops it).
 */
public final class FencedCommitException extends RuntimeException {
    private final int partition;
    private final long expected;
    private final long stored;

    public FencedCommitException(int partition, long expected, long stored) {
        super("partition " + partition + " was committed by another writer: the batch started from offset " + expected
                + ", the store holds " + stored);
        this.partition = partition;
        this.expected = expected;
        this.stored = stored;
    }

    public int partition() {
        return partition;
    }

    /** The offset the rejected batch started from. */
    public long expected() {
        return expected;
    }

    /** The offset the store held (-1: none). */
    public long stored() {
        return stored;
    }
}
