package io.tessera.log.kafka;

import io.tessera.segment.MembershipStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the durable membership log ({@link MembershipStore#changesAfter}) to the
 * segment-changes topic, each change exactly once, keyed by profile id.
 *
 * <p><b>One relay at a time.</b> Every node runs a relay, but only the one that the consumer
 * group {@code <group>.segment-changes-relay} assigns partition 0 of the topic publishes (the
 * group's consumer reads nothing; it only holds the lease and heartbeats). A relay that lost the
 * lease without knowing it (stalled past the session timeout) is fenced by Kafka: the relays share
 * one {@code transactional.id}, and the successor's {@code initTransactions} aborts the old one's
 * open transaction and rejects its later commits.
 *
 * <p><b>Exactly once.</b> Each batch of changes is one Kafka transaction that also commits the
 * batch's last membership-log sequence number as the offset of a member-less consumer group
 * ({@code <group>.segment-changes-cursor}) — the relay's cursor, written atomically with the
 * records. A new leader reads the cursor and goes on after it, so a change is on the topic (as
 * read_committed consumers see it) once, whichever relay published it and however one died.
 *
 * <p><b>Holes in the sequence.</b> The log's sequence numbers are taken at insert and become
 * visible at commit, so two nodes' transactions can become visible out of order, and a rolled-back
 * one leaves a hole forever. The relay publishes only the gap-free prefix; a hole still open after
 * {@code gapGrace} is treated as rolled back and skipped (logged). A change committed later than
 * that would be missed: the grace is set well above any membership transaction's duration.
 *
 * <p>Threading: one thread ({@link #start}); {@link #wake} from any thread.
 */
public final class SegmentChangeRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentChangeRelay.class);
    private static final int BATCH = 1_000;

    private final KafkaLogSettings kafka;
    private final KafkaStreamSettings topics;
    private final MembershipStore log;
    private final TopicPartition lease;
    private final String cursorGroup;
    private final Object signal = new Object();
    private volatile boolean stopped;
    private volatile boolean halted;
    private volatile boolean leader;
    private Thread thread;
    private KafkaConsumer<byte[], byte[]> leaseConsumer;
    private KafkaProducer<String, byte[]> producer;
    private Admin admin;
    private long cursor = -1;
    private long gapAt = -1;
    private long gapSinceNanos;
    private volatile long published;

    public SegmentChangeRelay(KafkaLogSettings kafka, KafkaStreamSettings topics, MembershipStore log) {
        this.kafka = kafka;
        this.topics = topics;
        this.log = log;
        this.lease = new TopicPartition(topics.segmentChanges(), 0);
        this.cursorGroup = kafka.groupPrefix() + ".segment-changes-cursor." + topics.segmentChanges();
    }

    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().name("segment-change-relay").daemon().start(this::loop);
        }
    }

    /** New changes are durable: look now rather than at the next poll. */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Whether this node's relay currently holds the lease. */
    public boolean leading() {
        return leader;
    }

    /** Changes this relay published since it started. */
    public long published() {
        return published;
    }

    private void loop() {
        Properties cp = KafkaEventLog.clientProperties(kafka);
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.groupPrefix() + ".segment-changes-relay." + topics.segmentChanges());
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cp.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        cp.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) kafka.sessionTimeout().toMillis());
        cp.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, kafka.sessionTimeout().toMillis() / 5));
        leaseConsumer = new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        admin = Admin.create(KafkaEventLog.clientProperties(kafka));
        try {
            leaseConsumer.subscribe(List.of(topics.segmentChanges()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (partitions.contains(lease)) {
                        resign();
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    leaseConsumer.pause(leaseConsumer.assignment());
                    if (partitions.contains(lease)) {
                        leader = true;
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    onPartitionsRevoked(partitions);
                }
            });
            while (!stopped) {
                try {
                    leaseConsumer.poll(Duration.ofMillis(leader ? 0 : topics.relayPoll().toMillis()));
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    LOG.warn("segment-change relay: lease consumer: {}; going on", e.toString());
                    pause(Duration.ofSeconds(1));
                    continue;
                }
                if (stopped) {
                    break;
                }
                int n = 0;
                if (leader) {
                    try {
                        n = relayOnce();
                    } catch (ProducerFencedException e) {
                        LOG.warn("segment-change relay fenced by a successor; giving up the lease");
                        closeProducer(Duration.ZERO);
                        leader = false;
                    } catch (KafkaException | IllegalStateException e) {
                        LOG.warn("segment-change relay: batch failed, retrying", e);
                        closeProducer(Duration.ZERO);
                        pause(Duration.ofSeconds(1));
                    } catch (RuntimeException e) {
                        LOG.warn("segment-change relay: reading the membership log failed, retrying", e);
                        pause(Duration.ofSeconds(1));
                    }
                }
                if (n == 0 && leader) {
                    pause(topics.relayPoll());
                }
            }
        } catch (WakeupException e) {
            // close or halt
        } finally {
            Duration grace = halted ? Duration.ZERO : Duration.ofSeconds(5);
            closeProducer(grace);
            leaseConsumer.close(halted ? Duration.ZERO : Duration.ofSeconds(5));
            admin.close(grace);
        }
    }

    /** Publishes the next gap-free run of the log, in one transaction with the cursor; returns how many. */
    private int relayOnce() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerProperties(), new StringSerializer(), new ByteArraySerializer());
            producer.initTransactions(); // fences (and aborts the open transaction of) any earlier relay
            cursor = readCursor();
            LOG.atInfo().setMessage("segment-change relay leading").addKeyValue("cursor", cursor).log();
        }
        List<MembershipStore.LoggedChange> next = gapFree(log.changesAfter(cursor, BATCH));
        if (next.isEmpty() || halted) {
            return 0;
        }
        producer.beginTransaction();
        try {
            for (MembershipStore.LoggedChange c : next) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.segmentChanges(), c.change().profileId(),
                        StreamRecords.change(c.seq(), c.change()));
                r.headers().add("seq", StreamRecords.utf8(Long.toString(c.seq())));
                producer.send(r);
            }
            long last = next.getLast().seq();
            producer.sendOffsetsToTransaction(Map.of(lease, new OffsetAndMetadata(last, "membership log seq")),
                    new ConsumerGroupMetadata(cursorGroup));
            if (halted) {
                return 0; // a simulated kill: the transaction stays open, the successor aborts it
            }
            producer.commitTransaction();
            cursor = last;
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException ignored) {
                // the producer is closed and rebuilt by the caller
            }
            throw e;
        }
        published += next.size();
        return next.size();
    }

    private List<MembershipStore.LoggedChange> gapFree(List<MembershipStore.LoggedChange> got) {
        List<MembershipStore.LoggedChange> out = new ArrayList<>();
        long expected = cursor + 1;
        for (MembershipStore.LoggedChange c : got) {
            if (c.seq() != expected && expected > 0) {
                if (gapAt != expected) {
                    gapAt = expected;
                    gapSinceNanos = System.nanoTime();
                    break;
                }
                if (System.nanoTime() - gapSinceNanos < topics.gapGrace().toNanos()) {
                    break;
                }
                LOG.atWarn().setMessage("membership log: sequence numbers never committed, skipped")
                        .addKeyValue("from", expected).addKeyValue("to", c.seq() - 1).log();
            }
            out.add(c);
            expected = c.seq() + 1;
        }
        return out;
    }

    /** The last published sequence number: the cursor group's committed offset (0 before the first). */
    private long readCursor() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(cursorGroup,
                            new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata().get(kafka.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            OffsetAndMetadata o = offsets.get(lease);
            return o == null ? 0 : o.offset();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new KafkaException("could not read the segment-change relay's cursor", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted", e);
        }
    }

    private Properties producerProperties() {
        Properties p = KafkaEventLog.clientProperties(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, kafka.groupPrefix() + ".segment-change-relay." + topics.segmentChanges());
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Math.max(10_000, kafka.requestTimeout().toMillis()));
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) kafka.requestTimeout().toMillis());
        return p;
    }

    private void resign() {
        leader = false;
        closeProducer(Duration.ofSeconds(5));
    }

    private void closeProducer(Duration timeout) {
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (KafkaException e) {
                LOG.debug("closing the relay producer", e);
            }
            producer = null;
        }
    }

    private void pause(Duration d) {
        synchronized (signal) {
            try {
                signal.wait(Math.max(1, d.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }

    /**
     * Stops as a killed process would: no transaction is committed or aborted, the group is left
     * without waiting. For tests of failover; a real node dies by {@code kill -9}.
     */
    public void halt() {
        halted = true;
        close();
    }

    @Override
    public void close() {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            ConsumerThreads.stop(t, leaseConsumer, this::wake, Duration.ofSeconds(15));
        }
    }
}
