package io.tessera.ingest;

import io.tessera.event.Event;

/**
 * Chooses the log partition key an accepted event is appended under. {@link #DIRECT}: its userId,
 * else its anonymousId (the embedded log has one partition, so any key will do);
 * {@link HomeRouting}: through the identity graph, for a partitioned log.
 */
@FunctionalInterface
public interface PartitionKeys {
    PartitionKeys DIRECT = Ingestor::partitionKey;

    String keyOf(Event event);
}
