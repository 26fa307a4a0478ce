package io.tessera.event;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The durable, ordered event log: ingestion appends, the profile engine consumes.
 *
 * <p>Adapters: {@code log.sqlite.SqliteEventLog} (embedded; one partition, group commit) and
 * {@code log.kafka.KafkaEventLog} (scale-out; partitioned by profile key). Every adapter passes
 * {@code testkit}'s {@code EventLogContract}.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #append} completes only once every event in the call is durable; a completed
 *       append survives {@code kill -9}. It completes exceptionally if the events could not be
 *       made durable (the caller then answers 5xx and the client retries).</li>
 *   <li>An event whose {@code messageId} the log has already stored is acknowledged as a
 *       duplicate and not stored twice (within the adapter's dedupe window; the embedded log
 *       dedupes forever). Consumers must still be idempotent: Kafka redelivers.</li>
 *   <li>Events with the same partition key are delivered to consumers in append order.</li>
 * </ul>
 */
public interface EventLog extends AutoCloseable {

    /**
     * Appends the events, each under its partition key (the resolved profile key, or the
     * user/anonymous id when none is known yet). Returns one outcome per event, in order.
     */
    CompletableFuture<List<AppendOutcome>> append(List<KeyedEvent> events);

    /**
     * Starts delivering events to the handler on a thread of the log's own, from the position the
     * handler's {@link EventBatchHandler#resumeAfter} gives for each partition this node owns.
     */
    Subscription subscribe(EventBatchHandler handler);

    /** Events stored so far (all partitions); for stats and progress. */
    long size();

    /**
     * The offset of the newest stored event of every partition (−1 for an empty one): where a
     * reader that wants "everything stored when it began" stops (e.g. the Parquet export).
     */
    Map<Integer, Long> lastOffsets();

    @Override
    void close();

    /** An event with the key that decides its partition. */
    record KeyedEvent(String partitionKey, Event event) {}

    /** What happened to one appended event. */
    enum AppendOutcome { STORED, DUPLICATE }

    /** A running delivery; closing it stops delivery after the batch in hand. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();

        /** Events appended but not yet handed to the handler; for the queue-depth metric. */
        long lag();
    }
}
