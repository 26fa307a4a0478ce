package io.tessera.log.kafka;

import io.tessera.segment.MembershipChange;
import io.tessera.segment.MembershipChangeStream;
import io.tessera.segment.MembershipListener;
import io.tessera.segment.MembershipStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's {@link MembershipChangeStream}: the {@link SegmentChangeRelay} puts every durable
 * change on the segment-changes topic once (keyed by profile id, so one profile's changes stay in
 * order), and each subscriber is a consumer group {@code <group>.segment-changes.<name>} reading
 * committed records: every change reaches one node of the group; the group's offsets are
 * committed after the listener returned, so a node that dies hands its unconfirmed changes to its
 * successor (at least once per subscriber). A new group starts at the beginning of the topic.
 *
 * <p>Threading: the relay's thread plus one consumer thread per subscriber; listeners run on
 * their subscriber's thread.
 */
public final class KafkaMembershipChanges implements MembershipChangeStream {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaMembershipChanges.class);

    private final KafkaLogSettings kafka;
    private final KafkaStreamSettings topics;
    private final SegmentChangeRelay relay;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    public KafkaMembershipChanges(KafkaLogSettings kafka, KafkaStreamSettings topics, MembershipStore memberships) {
        this.kafka = kafka;
        this.topics = topics;
        this.relay = new SegmentChangeRelay(kafka, topics, memberships);
    }

    /** Starts this node's relay (it publishes while it holds the lease). */
    public KafkaMembershipChanges start() {
        relay.start();
        return this;
    }

    /** A listener for the local segment engine: its changes are durable, so the relay should look now. */
    public MembershipListener wakeOnChanges() {
        return changes -> relay.wake();
    }

    public SegmentChangeRelay relay() {
        return relay;
    }

    @Override
    public void subscribe(String name, MembershipListener listener) {
        Subscriber s = new Subscriber(name, listener);
        subscribers.add(s);
        s.thread = Thread.ofPlatform().name("segment-changes-" + name).daemon().start(s::loop);
    }

    /** Stops as a killed node would (no commits, no waiting); for failover tests. */
    public void halt() {
        subscribers.forEach(s -> s.stop(true));
        relay.halt();
    }

    @Override
    public void close() {
        subscribers.forEach(s -> s.stop(false));
        relay.close();
    }

    private final class Subscriber {
        private final String name;
        private final MembershipListener listener;
        private volatile boolean stopped;
        private volatile boolean halted;
        private volatile KafkaConsumer<String, byte[]> consumer;
        private Thread thread;

        Subscriber(String name, MembershipListener listener) {
            this.name = name;
            this.listener = listener;
        }

        void loop() {
            Properties p = KafkaEventLog.clientProperties(kafka);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.groupPrefix() + ".segment-changes." + name);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1_000);
            p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
            p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) kafka.sessionTimeout().toMillis());
            p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, kafka.sessionTimeout().toMillis() / 5));
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            try {
                consumer.subscribe(List.of(topics.segmentChanges()));
                while (!stopped) {
                    ConsumerRecords<String, byte[]> records;
                    try {
                        records = consumer.poll(Duration.ofMillis(200));
                    } catch (WakeupException e) {
                        throw e;
                    } catch (org.apache.kafka.common.KafkaException e) {
                        LOG.warn("segment-changes subscriber {}: {}; going on", name, e.toString());
                        sleep(Duration.ofSeconds(1));
                        continue;
                    }
                    if (records.isEmpty() || stopped) {
                        continue;
                    }
                    List<MembershipChange> changes = new ArrayList<>(records.count());
                    Map<TopicPartition, Long> first = new HashMap<>();
                    for (ConsumerRecord<String, byte[]> r : records) {
                        first.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
                        changes.add(StreamRecords.change(r.value()));
                    }
                    try {
                        listener.onChanges(changes);
                    } catch (RuntimeException e) {
                        LOG.warn("segment-changes subscriber {} failed; retrying the batch", name, e);
                        first.forEach(consumer::seek);
                        sleep(Duration.ofSeconds(1));
                        continue;
                    }
                    if (halted) {
                        break;
                    }
                    try {
                        consumer.commitSync();
                    } catch (org.apache.kafka.common.errors.RebalanceInProgressException
                             | org.apache.kafka.clients.consumer.CommitFailedException e) {
                        // the partitions moved: their next owner gets these changes again (at least once)
                        LOG.debug("segment-changes commit skipped during a rebalance", e);
                    }
                }
            } catch (WakeupException e) {
                // stop
            } finally {
                consumer.close(halted ? Duration.ZERO : Duration.ofSeconds(5));
            }
        }

        void stop(boolean halt) {
            halted = halt;
            stopped = true;
            ConsumerThreads.stop(thread, consumer, () -> { }, Duration.ofSeconds(10));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
