package io.tessera.log.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events topic as the admin client sees it: created if missing, its partition count, and its
 * offsets (for {@code size} and {@code lag}). Thread-safe (the admin client is).
 */
final class KafkaTopic implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopic.class);

    private final String name;
    private final int partitions;
    private final Admin admin;
    private final long timeoutMs;

    private KafkaTopic(String name, int partitions, Admin admin, long timeoutMs) {
        this.name = name;
        this.partitions = partitions;
        this.admin = admin;
        this.timeoutMs = timeoutMs;
    }

    /** Connects and makes sure the topic exists; {@link KafkaUnavailableException} if Kafka does not answer. */
    static KafkaTopic open(KafkaLogSettings settings) {
        Admin admin = Admin.create(KafkaEventLog.clientProperties(settings));
        long timeoutMs = settings.requestTimeout().toMillis();
        try {
            NewTopic wanted = new NewTopic(settings.topic(), settings.partitions(), settings.replicationFactor());
            if (settings.replicationFactor() >= 3) {
                wanted.configs(Map.of("min.insync.replicas", "2"));
            }
            try {
                await(admin.createTopics(List.of(wanted)).all(), timeoutMs, settings);
                LOG.atInfo().setMessage("created the events topic").addKeyValue("topic", settings.topic())
                        .addKeyValue("partitions", settings.partitions()).log();
            } catch (KafkaUnavailableException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            // a topic just created may not be known to every broker yet: asked again meanwhile
            TopicDescription d = answer(() -> TopicSetup.described(admin, settings.topic(), timeoutMs), timeoutMs, settings);
            int actual = d.partitions().size();
            if (actual != settings.partitions()) {
                LOG.atWarn().setMessage("the events topic exists with another partition count; using the topic's")
                        .addKeyValue("topic", settings.topic()).addKeyValue("configured", settings.partitions())
                        .addKeyValue("actual", actual).log();
            }
            return new KafkaTopic(settings.topic(), actual, admin, timeoutMs);
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
    }

    private static <T> T await(KafkaFuture<T> future, long timeoutMs, KafkaLogSettings settings) {
        return answer(() -> future.get(timeoutMs, TimeUnit.MILLISECONDS), timeoutMs, settings);
    }

    /** A call to Kafka that may be refused, time out or be interrupted. */
    private interface Call<T> {
        T get() throws ExecutionException, TimeoutException, InterruptedException;
    }

    /** The call's answer, or {@link KafkaUnavailableException} saying why there is none. */
    private static <T> T answer(Call<T> call, long timeoutMs, KafkaLogSettings settings) {
        try {
            return call.get();
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException("Kafka at " + settings.bootstrapServers() + " refused: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka at " + settings.bootstrapServers() + " did not answer within "
                    + timeoutMs + " ms (kafka.bootstrap-servers wrong, or the brokers are down)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while waiting for Kafka", e);
        }
    }

    String name() {
        return name;
    }

    int partitions() {
        return partitions;
    }

    List<TopicPartition> topicPartitions() {
        return IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(name, p)).toList();
    }

    /** Records in the topic: end minus start offset, summed over partitions. */
    long size() {
        Map<TopicPartition, Long> end = offsets(topicPartitions(), OffsetSpec.latest());
        Map<TopicPartition, Long> start = offsets(topicPartitions(), OffsetSpec.earliest());
        return end.entrySet().stream().mapToLong(e -> e.getValue() - start.get(e.getKey())).sum();
    }

    /** The end offset (next offset to be written) of each given partition. */
    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return offsets(partitions, OffsetSpec.latest());
    }

    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> tps, OffsetSpec spec) {
        if (tps.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        tps.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResultInfo> got;
        try {
            got = admin.listOffsets(request).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaUnavailableException("could not read the offsets of " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while reading offsets", e);
        }
        Map<TopicPartition, Long> result = new HashMap<>();
        got.forEach((tp, info) -> result.put(tp, info.offset()));
        return result;
    }

    @Override
    public void close() {
        admin.close();
    }
}
