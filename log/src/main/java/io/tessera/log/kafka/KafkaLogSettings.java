package io.tessera.log.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the Kafka event log runs.
 *
 * @param bootstrapServers  the brokers, {@code host:port,host:port}
 * @param topic             the events topic (created if missing)
 * @param partitions        partitions of a topic this log creates; an existing topic keeps its own
 * @param replicationFactor replicas of a topic this log creates (3 in production; 1 on one broker)
 * @param groupPrefix       consumer groups are {@code groupPrefix + "." + handler name}
 * @param dedupeWindow      messageIds remembered for append dedupe: the last this many appended by
 *                          this node, plus the tail of the topic read at start
 * @param sessionTimeout    how long a silent node keeps its partitions (failover time after kill -9)
 * @param requestTimeout    how long an append or an admin call may take before it fails
 */
public record KafkaLogSettings(String bootstrapServers, String topic, int partitions, short replicationFactor,
                               String groupPrefix, int dedupeWindow, Duration sessionTimeout, Duration requestTimeout) {

    public KafkaLogSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(groupPrefix, "groupPrefix");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap-servers is required in cluster mode");
        }
        if (topic.isBlank() || partitions < 1 || replicationFactor < 1 || dedupeWindow < 0) {
            throw new IllegalArgumentException("invalid Kafka log settings: topic '" + topic + "', partitions "
                    + partitions + ", replication factor " + replicationFactor + ", dedupe window " + dedupeWindow);
        }
    }

    /** The defaults for one broker: topic {@code events}, 12 partitions, one replica. */
    public static KafkaLogSettings of(String bootstrapServers) {
        return new KafkaLogSettings(bootstrapServers, "events", 12, (short) 1, "tessera", 500_000,
                Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public KafkaLogSettings withTopic(String newTopic, int newPartitions) {
        return new KafkaLogSettings(bootstrapServers, newTopic, newPartitions, replicationFactor, groupPrefix,
                dedupeWindow, sessionTimeout, requestTimeout);
    }
}
