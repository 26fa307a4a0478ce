package io.tessera.log.kafka;

import io.tessera.event.EventLog.KeyedEvent;
import io.tessera.profile.ProfilePartitions;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The profile engine's view of the Kafka events topic: its partition count, Kafka's partitioner
 * ({@link KafkaEventLog#partitionOf}), and appends of relay records to the same topic (acks=all, as
 * every append). Thread-safe.
 */
public final class KafkaProfilePartitions implements ProfilePartitions {
    private final KafkaEventLog log;

    public KafkaProfilePartitions(KafkaEventLog log) {
        this.log = log;
    }

    @Override
    public int count() {
        return log.partitions();
    }

    @Override
    public int partitionOf(String key) {
        return log.partitionOf(key);
    }

    @Override
    public CompletableFuture<?> send(List<KeyedEvent> records) {
        return log.append(records);
    }
}
