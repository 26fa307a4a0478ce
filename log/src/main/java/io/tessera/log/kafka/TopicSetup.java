package io.tessera.log.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the cluster's topics exist at start: creates a missing one with the configured
 * partitions (and {@code cleanup.policy=compact} where asked), leaves an existing one as it is
 * (with a warning when its partition count differs) and throws {@link KafkaUnavailableException}
 * naming the topic when Kafka refuses or does not answer.
 */
public final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {
    }

    /** One topic to check. */
    public record Wanted(String name, int partitions, boolean compacted) {}

    /** The topic's description; a topic just created may take a moment to be known everywhere (asked again meanwhile). */
    static org.apache.kafka.clients.admin.TopicDescription described(Admin admin, String topic, long timeoutMs)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS).get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static int partitions(Admin admin, String topic, long timeoutMs)
            throws ExecutionException, TimeoutException, InterruptedException {
        return described(admin, topic, timeoutMs).partitions().size();
    }

    /** Checks (and creates) every topic; returns their actual partition counts by name. */
    public static Map<String, Integer> ensure(KafkaLogSettings settings, List<Wanted> topics) {
        long timeoutMs = settings.requestTimeout().toMillis();
        try (Admin admin = Admin.create(KafkaEventLog.clientProperties(settings))) {
            Map<String, Integer> actual = new java.util.HashMap<>();
            for (Wanted w : topics) {
                NewTopic t = new NewTopic(w.name(), w.partitions(), settings.replicationFactor());
                Map<String, String> configs = new java.util.HashMap<>();
                if (settings.replicationFactor() >= 3) {
                    configs.put("min.insync.replicas", "2");
                }
                if (w.compacted()) {
                    configs.put("cleanup.policy", "compact");
                }
                t.configs(configs);
                try {
                    admin.createTopics(List.of(t)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                    LOG.atInfo().setMessage("created topic").addKeyValue("topic", w.name())
                            .addKeyValue("partitions", w.partitions()).log();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new KafkaUnavailableException("Kafka at " + settings.bootstrapServers()
                                + " refused to create topic " + w.name() + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
                int n = partitions(admin, w.name(), timeoutMs);
                if (n != w.partitions()) {
                    LOG.atWarn().setMessage("topic exists with another partition count; using the topic's")
                            .addKeyValue("topic", w.name()).addKeyValue("configured", w.partitions())
                            .addKeyValue("actual", n).log();
                }
                actual.put(w.name(), n);
            }
            return Map.copyOf(actual);
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka at " + settings.bootstrapServers() + " did not answer within "
                    + timeoutMs + " ms while checking topics " + topics.stream().map(Wanted::name).toList(), e);
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException("Kafka at " + settings.bootstrapServers() + " refused: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while checking topics", e);
        }
    }
}
