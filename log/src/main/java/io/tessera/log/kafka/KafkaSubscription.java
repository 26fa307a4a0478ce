package io.tessera.log.kafka;

import io.tessera.event.EventBatchHandler;
import io.tessera.event.EventCodec;
import io.tessera.event.EventLog;
import io.tessera.event.LoggedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the events topic to one handler as a member of the consumer group
 * {@code groupPrefix.<handler class>}: Kafka assigns this node some partitions, and each poll's
 * records of one partition go to the handler as one batch, in offset order.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>Where a partition resumes.</b> When a partition is assigned, the consumer seeks to the
 *       handler's {@link EventBatchHandler#resumeAfter} + 1 (the offset stored with the
 *       handler's state, in the same transaction); Kafka's committed offset is ignored for
 *       positioning. So a batch applied but not yet committed to Kafka is skipped, and one
 *       committed to Kafka but not applied cannot exist.</li>
 *   <li><b>Commits.</b> After a batch returns (its effects are durable), its next offset is
 *       committed to Kafka asynchronously, and synchronously when a partition is revoked and at
 *       close. Kafka's offsets are for operators' tools (consumer lag); the store's win.</li>
 *   <li><b>One owner at a time.</b> The cooperative-sticky assignor revokes a partition from its
 *       old owner (which finishes the batch in hand: the handler runs on the polling thread, so
 *       no batch is in flight during the callback) before assigning it to the new one. A node that
 *       stops polling for longer than the session timeout is fenced out of the group; its late
 *       commit of the store must then be rejected by the store (see docs/SCALE-OUT.md).</li>
 *   <li><b>Failures.</b> If the handler throws (an outage: the store is down), the partition is
 *       rewound to the handler's stored offset and retried after a pause; the others go on.</li>
 *   <li><b>Lag</b> is end offset minus delivered position over the owned partitions, asked of the
 *       admin client, so it can be read from any thread while the handler runs.</li>
 * </ul>
 *
 * <p>Threading: one platform thread owns the consumer; {@link #lag} and {@link #close} may be
 * called from any thread.
 */
final class KafkaSubscription implements EventLog.Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSubscription.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final KafkaLogSettings settings;
    private final KafkaTopic topic;
    private final EventBatchHandler handler;
    private final EventCodec codec;
    private final Consumer<KafkaSubscription> onClose;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    /** Last offset handed to the handler (or resumed after) per owned partition. */
    private final Map<TopicPartition, Long> delivered = new ConcurrentHashMap<>();
    /** Confined to the polling thread. */
    private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
    private volatile boolean running = true;

    KafkaSubscription(KafkaLogSettings settings, KafkaTopic topic, EventBatchHandler handler, EventCodec codec,
                      Consumer<KafkaSubscription> onClose) {
        this.settings = settings;
        this.topic = topic;
        this.handler = handler;
        this.codec = codec;
        this.onClose = onClose;
        this.consumer = new KafkaConsumer<>(consumerProperties(settings, groupOf(settings, handler)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = Thread.ofPlatform().name("tessera-kafka-" + handler.getClass().getSimpleName()).daemon().unstarted(this::run);
    }

    static String groupOf(KafkaLogSettings settings, EventBatchHandler handler) {
        return settings.groupPrefix() + "." + handler.getClass().getSimpleName();
    }

    private static Properties consumerProperties(KafkaLogSettings settings, String group) {
        Properties p = KafkaEventLog.clientProperties(settings);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1_000);
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        int session = (int) settings.sessionTimeout().toMillis();
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, session / 4));
        return p;
    }

    void start() {
        thread.start();
    }

    @Override
    public long lag() {
        Map<TopicPartition, Long> owned = Map.copyOf(delivered);
        Map<TopicPartition, Long> end = topic.endOffsets(owned.keySet());
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> e : owned.entrySet()) {
            lag += Math.max(0, end.getOrDefault(e.getKey(), 0L) - (e.getValue() + 1));
        }
        return lag;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        onClose.accept(this);
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic.name()), new Rebalance());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    idle();
                } else {
                    deliver(records);
                }
                if (!toCommit.isEmpty()) {
                    consumer.commitAsync(Map.copyOf(toCommit), (offsets, failure) -> {
                        if (failure != null) {
                            LOG.atDebug().setMessage("async offset commit failed; the store's offsets still hold").setCause(failure).log();
                        }
                    });
                    toCommit.clear();
                }
            }
        } catch (WakeupException closing) {
            // close() woke the poll
        } catch (RuntimeException e) {
            LOG.atError().setMessage("event delivery stopped").addKeyValue("group", groupOf(settings, handler)).setCause(e).log();
        } finally {
            try {
                commitNow();
            } catch (RuntimeException e) {
                LOG.atWarn().setMessage("final offset commit failed; the store's offsets still hold").setCause(e).log();
            }
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(settings.requestTimeout()));
        }
    }

    private void deliver(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
            List<LoggedEvent> batch = new ArrayList<>(rs.size());
            boolean relays = handler.receivesRelays();
            for (ConsumerRecord<byte[], byte[]> r : rs) {
                if (relays || r.headers().lastHeader(KafkaEventLog.RELAY) == null) {
                    batch.add(new LoggedEvent(tp.partition(), r.offset(), codec.decode(r.value())));
                }
            }
            if (batch.isEmpty()) {
                continue; // only the profile engine's relay records
            }
            try {
                handler.onBatch(tp.partition(), batch);
            } catch (RuntimeException e) {
                LOG.atWarn().setMessage("handler failed; retrying the partition from its stored offset")
                        .addKeyValue("partition", tp.partition()).setCause(e).log();
                rewind(tp);
                pause();
                continue;
            }
            long last = batch.get(batch.size() - 1).offset();
            delivered.put(tp, last);
            toCommit.put(tp, new OffsetAndMetadata(last + 1));
        }
    }

    private void idle() {
        try {
            handler.onIdle();
        } catch (RuntimeException e) {
            LOG.atWarn().setMessage("handler failed while idle").setCause(e).log();
        }
    }

    private void rewind(TopicPartition tp) {
        long after = handler.resumeAfter(tp.partition());
        if (after < 0) {
            consumer.seekToBeginning(List.of(tp));
        } else {
            consumer.seek(tp, after + 1);
        }
        delivered.put(tp, after);
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void commitNow() {
        if (!toCommit.isEmpty()) {
            consumer.commitSync(Map.copyOf(toCommit));
            toCommit.clear();
        }
    }

    /** Runs on the polling thread, inside poll(). */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            handler.onPartitionsAssigned(partitions.stream().map(TopicPartition::partition).toList());
            for (TopicPartition tp : partitions) {
                rewind(tp);
            }
            if (!partitions.isEmpty()) {
                LOG.atInfo().setMessage("partitions assigned").addKeyValue("group", groupOf(settings, handler))
                        .addKeyValue("partitions", partitions.stream().map(TopicPartition::partition).sorted().toList()).log();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            try {
                commitNow();
            } catch (RuntimeException e) {
                LOG.atWarn().setMessage("offset commit on revoke failed; the store's offsets still hold").setCause(e).log();
            }
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(toCommit::remove);
            drop(partitions);
        }

        private void drop(Collection<TopicPartition> partitions) {
            partitions.forEach(delivered::remove);
            handler.onPartitionsRevoked(partitions.stream().map(TopicPartition::partition).toList());
            LOG.atInfo().setMessage("partitions revoked").addKeyValue("group", groupOf(settings, handler))
                    .addKeyValue("partitions", partitions.stream().map(TopicPartition::partition).sorted().toList()).log();
        }
    }
}
