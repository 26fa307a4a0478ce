package io.tessera.log.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * The cluster's topics besides the events topic, and how their relays poll.
 *
 * @param segmentChanges           membership enters and exits, keyed by profile id
 * @param segmentChangesPartitions partitions of it when Tessera creates it
 * @param sendJobs                 campaign send work, keyed by profile id
 * @param sendJobsPartitions       partitions of it when Tessera creates it (more partitions: more nodes can send at once)
 * @param definitions              compacted, one partition: "segment/campaign X changed" notices
 * @param relayPoll                how often the segment-change relay looks for new durable changes when not woken
 * @param gapGrace                 how long the relay waits for a hole in the membership log's sequence to fill
 *                                 (a transaction still committing) before it treats it as rolled back
 */
public record KafkaStreamSettings(String segmentChanges, int segmentChangesPartitions, String sendJobs,
                                  int sendJobsPartitions, String definitions, Duration relayPoll, Duration gapGrace) {

    public KafkaStreamSettings {
        Objects.requireNonNull(segmentChanges, "segmentChanges");
        Objects.requireNonNull(sendJobs, "sendJobs");
        Objects.requireNonNull(definitions, "definitions");
        Objects.requireNonNull(relayPoll, "relayPoll");
        Objects.requireNonNull(gapGrace, "gapGrace");
        if (segmentChanges.isBlank() || sendJobs.isBlank() || definitions.isBlank()
                || segmentChangesPartitions < 1 || sendJobsPartitions < 1) {
            throw new IllegalArgumentException("invalid topic settings: " + segmentChanges + "/" + segmentChangesPartitions
                    + ", " + sendJobs + "/" + sendJobsPartitions + ", " + definitions);
        }
    }

    /** Defaults: {@code segment-changes} and {@code send-jobs} with 12 partitions, {@code definitions}. */
    public static KafkaStreamSettings defaults() {
        return new KafkaStreamSettings("segment-changes", 12, "send-jobs", 12, "definitions",
                Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    /** The same settings with every topic name prefixed (tests: one set of topics each). */
    public KafkaStreamSettings prefixed(String prefix) {
        return new KafkaStreamSettings(prefix + segmentChanges, segmentChangesPartitions, prefix + sendJobs,
                sendJobsPartitions, prefix + definitions, relayPoll, gapGrace);
    }
}
