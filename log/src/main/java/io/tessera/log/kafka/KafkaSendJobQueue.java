package io.tessera.log.kafka;

import io.tessera.delivery.campaign.SendJob;
import io.tessera.delivery.campaign.SendJobQueue;
import io.tessera.delivery.campaign.SendOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's {@link SendJobQueue}: a {@code send-jobs} topic keyed by profile id (spreads a
 * campaign evenly over the partitions; keying by recipient domain would put all of gmail.com on
 * one partition, i.e. one node), appended by an idempotent producer with {@code acks=all}, and
 * consumed by every node in the group {@code <group>.send-jobs}, so a run's recipients are split
 * across the nodes and move to the survivors when one dies.
 *
 * <p><b>Offsets and deferrals.</b> A poll's jobs run on a pool of {@code workers} threads; when
 * all are decided the partition's offset is committed. A job the handler defers (local send time,
 * quiet hours, a relay outage) is held in memory until its time and run again; while it is held
 * its partition's committed offset stays at it, so a node that dies hands the held jobs — and the
 * ones after them, which the send ledger then reports as already handled — to its successor.
 * Kafka may thus hand a job out twice; the ledger's claim makes the mail go out at most once.
 *
 * <p>Threading: one consumer thread plus the worker pool; {@link #enqueue} from any thread.
 */
public final class KafkaSendJobQueue implements SendJobQueue {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSendJobQueue.class);
    private static final Duration MIN_RETRY = Duration.ofSeconds(1);

    private final KafkaLogSettings kafka;
    private final String topic;
    private final int workers;
    private final InstantSource clock;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong handled = new AtomicLong();
    private final java.util.Set<Integer> assigned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    private volatile boolean halted;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private ExecutorService pool;

    public KafkaSendJobQueue(KafkaLogSettings kafka, KafkaStreamSettings topics, int workers, InstantSource clock) {
        this.kafka = kafka;
        this.topic = topics.sendJobs();
        this.workers = Math.max(1, workers);
        this.clock = clock;
        Properties p = KafkaEventLog.clientProperties(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) kafka.requestTimeout().toMillis() * 2);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) kafka.requestTimeout().toMillis());
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void enqueue(List<SendJob> jobs) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(jobs.size());
        for (SendJob j : jobs) {
            sent.add(producer.send(new ProducerRecord<>(topic, j.profileId(), StreamRecords.job(j))));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException("could not enqueue send jobs on " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while enqueueing send jobs", e);
        }
    }

    @Override
    public synchronized void consume(Handler handler) {
        if (thread != null) {
            throw new IllegalStateException("already consuming");
        }
        pool = Executors.newFixedThreadPool(workers, Thread.ofPlatform().name("send-job-", 0).daemon().factory());
        thread = Thread.ofPlatform().name("send-jobs").daemon().start(() -> loop(handler));
    }

    /** Jobs this node decided (sent, skipped, bounced, already handled) since it started. */
    public long handled() {
        return handled.get();
    }

    /** The key's partition of the send-jobs topic (Kafka's default partitioner) is one this node consumes. */
    @Override
    public boolean owns(String key) {
        int partitions = producer.partitionsFor(topic).size();
        int partition = org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
        return assigned.contains(partition);
    }

    /** The partitions of the send-jobs topic this node takes jobs from now. */
    public java.util.Set<Integer> assignedPartitions() {
        return java.util.Set.copyOf(assigned);
    }

    /** A job held back (deferred) with its record's position. */
    private record Held(TopicPartition tp, long offset, SendJob job, Instant at) {}

    private void loop(Handler handler) {
        Properties p = KafkaEventLog.clientProperties(kafka);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.groupPrefix() + ".send-jobs");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, workers * 25);
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) kafka.sessionTimeout().toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, kafka.sessionTimeout().toMillis() / 5));
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer = c;
        Map<TopicPartition, TreeMap<Long, Held>> held = new HashMap<>();
        Map<TopicPartition, Long> done = new HashMap<>(); // next offset to commit when nothing is held
        try {
            c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> assigned.remove(tp.partition()));
                    if (!halted) {
                        commit(c, partitions, held, done);
                    }
                    partitions.forEach(tp -> {
                        held.remove(tp);
                        done.remove(tp);
                    });
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> assigned.add(tp.partition()));
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> assigned.remove(tp.partition()));
                    partitions.forEach(tp -> {
                        held.remove(tp);
                        done.remove(tp);
                    });
                }
            });
            while (!stopped) {
                try {
                    if (!step(c, handler, held, done)) {
                        break;
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    LOG.warn("send-jobs consumer: {}; going on", e.toString());
                    sleep(Duration.ofSeconds(1));
                }
            }
        } catch (WakeupException e) {
            // stop
        } finally {
            if (!halted) {
                try {
                    commit(c, c.assignment(), held, done);
                } catch (KafkaException e) {
                    LOG.debug("final send-jobs commit", e);
                }
            }
            c.close(halted ? Duration.ZERO : Duration.ofSeconds(5));
        }
    }

    /** One poll: runs the polled and the now-due held jobs, then commits; false once halted. */
    private boolean step(KafkaConsumer<String, byte[]> c, Handler handler, Map<TopicPartition, TreeMap<Long, Held>> held,
                         Map<TopicPartition, Long> done) {
        ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
        List<Held> batch = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            batch.add(new Held(tp, r.offset(), StreamRecords.job(r.value()), Instant.MIN));
            done.put(tp, r.offset() + 1);
        }
        Instant now = clock.instant();
        for (TreeMap<Long, Held> h : held.values()) {
            h.values().removeIf(x -> {
                if (x.at().isAfter(now)) {
                    return false;
                }
                batch.add(x);
                return true;
            });
        }
        if (batch.isEmpty()) {
            return true;
        }
        List<CompletableFuture<Void>> running = new ArrayList<>(batch.size());
        for (Held job : batch) {
            running.add(CompletableFuture.runAsync(() -> {
                if (halted) {
                    return;
                }
                SendOutcome o;
                try {
                    o = handler.handle(job.job());
                } catch (RuntimeException e) {
                    LOG.warn("send job {} for {} failed; retrying later", job.job().scope(), job.job().profileId(), e);
                    o = new SendOutcome.Deferred("failed " + e, clock.instant().plusSeconds(30));
                }
                if (o instanceof SendOutcome.Deferred d) {
                    Held again = new Held(job.tp(), job.offset(), job.job(), SendJobQueue.retryAt(d, clock.instant(), MIN_RETRY));
                    synchronized (held) {
                        held.computeIfAbsent(job.tp(), k -> new TreeMap<>()).put(job.offset(), again);
                    }
                } else {
                    handled.incrementAndGet();
                }
            }, pool));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        if (halted) {
            return false;
        }
        commit(c, c.assignment(), held, done);
        return true;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Commits, per partition, the first held job's offset, else the next offset after what was polled. */
    private static void commit(KafkaConsumer<String, byte[]> c, Collection<TopicPartition> partitions,
                               Map<TopicPartition, TreeMap<Long, Held>> held, Map<TopicPartition, Long> done) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        synchronized (held) {
            for (TopicPartition tp : partitions) {
                TreeMap<Long, Held> h = held.get(tp);
                Long next = h != null && !h.isEmpty() ? h.firstKey() : done.get(tp);
                if (next != null) {
                    offsets.put(tp, new OffsetAndMetadata(next));
                }
            }
        }
        if (!offsets.isEmpty()) {
            try {
                c.commitSync(offsets);
            } catch (org.apache.kafka.common.errors.RebalanceInProgressException
                     | org.apache.kafka.clients.consumer.CommitFailedException e) {
                // the partitions are moving: their next owner starts from the last commit, and the
                // ledger reports the jobs already decided here as handled
                LOG.debug("send-jobs commit skipped during a rebalance", e);
            }
        }
    }

    /** Stops as a killed node would: jobs not yet started are dropped, nothing is committed. For failover tests. */
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
        ConsumerThreads.stop(t, consumer, () -> { }, Duration.ofSeconds(30));
        if (pool != null) {
            pool.shutdownNow();
        }
        producer.close(halted ? Duration.ZERO : Duration.ofSeconds(5));
    }
}
