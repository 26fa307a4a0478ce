package io.tessera.event;

import java.util.List;

/**
 * Consumes the event log. The profile engine is the one implementation; the log adapters call it.
 *
 * <p>Exactly-once effect: the handler stores, in the same transaction as the state it derives,
 * the last offset it applied per partition, and tells the log where to resume. After a crash the
 * log redelivers from there; events at or below the stored offset are never applied twice.
 */
public interface EventBatchHandler {

    /** The offset after which delivery resumes for a partition; -1 means from the beginning. */
    long resumeAfter(int partition);

    /**
     * Applies a batch of events of one partition, in offset order. When this returns, the effects
     * and the new resume position are durable. A thrown exception is an outage (not bad data: bad
     * data was quarantined before the log): nothing of the batch may have taken effect, and the log
     * redelivers the partition from {@link #resumeAfter} after a pause, for as long as it fails.
     */
    void onBatch(int partition, List<LoggedEvent> batch);

    /** The partitions this node owns changed (Kafka rebalance); drop in-memory state of lost ones. */
    default void onPartitionsRevoked(List<Integer> partitions) {}

    /** This node owns these partitions from now on (Kafka rebalance), before their first batch. */
    default void onPartitionsAssigned(List<Integer> partitions) {}

    /**
     * Whether this handler reads the profile engine's relay records ({@code profile.RelayRecord}:
     * cross-partition merges and forwarded events of a partitioned log). Other handlers never get
     * them: a forwarded event is a copy of one they already saw.
     */
    default boolean receivesRelays() {
        return false;
    }

    /** The log had nothing new for this handler in its last poll; a moment for deferred work. */
    default void onIdle() {}
}
