package io.tessera.server.cluster;

import io.tessera.log.kafka.KafkaLogSettings;
import io.tessera.log.kafka.KafkaStreamSettings;
import io.tessera.log.kafka.KafkaUnavailableException;
import io.tessera.log.kafka.TopicSetup;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The cluster's topics besides {@code events}, read from the settings and checked (created when
 * missing) when a cluster node starts.
 *
 * <table>
 *   <caption>Settings (file key; environment {@code TESSERA_} + key, upper case, dots and dashes as underscores)</caption>
 *   <tr><td>{@code kafka.topics.segment-changes}</td><td>membership enters/exits, default {@code segment-changes}</td></tr>
 *   <tr><td>{@code kafka.topics.send-jobs}</td><td>campaign send work, default {@code send-jobs}</td></tr>
 *   <tr><td>{@code kafka.topics.definitions}</td><td>definition change notices (compacted, 1 partition), default {@code definitions}</td></tr>
 *   <tr><td>{@code kafka.topic-partitions.segment-changes}, {@code kafka.topic-partitions.send-jobs}</td>
 *       <td>partitions when Tessera creates them; default {@code kafka.partitions}</td></tr>
 *   <tr><td>{@code kafka.segment-changes.gap-grace}</td><td>how long the relay waits for a hole in the
 *       membership log to fill, default 10s</td></tr>
 * </table>
 */
public final class ClusterTopics {
    private ClusterTopics() {
    }

    /** The topic settings of a cluster deployment. */
    public static KafkaStreamSettings settings(KafkaLogSettings kafka, Function<String, Optional<String>> setting) {
        KafkaStreamSettings d = KafkaStreamSettings.defaults();
        return new KafkaStreamSettings(
                setting.apply("kafka.topics.segment-changes").filter(s -> !s.isBlank()).orElse(d.segmentChanges()),
                integer(setting, "kafka.topic-partitions.segment-changes", kafka.partitions()),
                setting.apply("kafka.topics.send-jobs").filter(s -> !s.isBlank()).orElse(d.sendJobs()),
                integer(setting, "kafka.topic-partitions.send-jobs", kafka.partitions()),
                setting.apply("kafka.topics.definitions").filter(s -> !s.isBlank()).orElse(d.definitions()),
                d.relayPoll(),
                setting.apply("kafka.segment-changes.gap-grace").map(io.tessera.server.ConfigLoader::duration).orElse(d.gapGrace()));
    }

    /**
     * Creates the missing topics; {@link ClusterUnavailableException} naming the topic settings when
     * Kafka refuses or does not answer (so {@code tessera serve} exits with the reason).
     */
    public static void ensure(KafkaLogSettings kafka, KafkaStreamSettings topics) {
        try {
            TopicSetup.ensure(kafka, List.of(
                    new TopicSetup.Wanted(topics.segmentChanges(), topics.segmentChangesPartitions(), false),
                    new TopicSetup.Wanted(topics.sendJobs(), topics.sendJobsPartitions(), false),
                    new TopicSetup.Wanted(topics.definitions(), 1, true)));
        } catch (KafkaUnavailableException e) {
            throw new ClusterUnavailableException("mode: cluster, but the topics could not be checked: " + e.getMessage()
                    + " (settings kafka.topics.segment-changes, kafka.topics.send-jobs, kafka.topics.definitions, "
                    + "kafka.topic-partitions.*)", e);
        }
    }

    private static int integer(Function<String, Optional<String>> setting, String key, int fallback) {
        Optional<String> v = setting.apply(key).map(String::strip).filter(s -> !s.isEmpty());
        try {
            return v.map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be an integer, was '" + v.orElseThrow() + "'");
        }
    }

}
