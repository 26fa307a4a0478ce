package io.tessera.log.kafka;

import io.tessera.event.Event;
import io.tessera.event.EventBatchHandler;
import io.tessera.event.EventCodec;
import io.tessera.event.EventLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale-out event log: one Kafka topic ({@code events}), each event a record keyed by its
 * partition key (the resolved profile key), so one profile's events stay in one partition, in
 * order, and are processed by the one node that owns that partition.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>Durability.</b> An idempotent producer with {@code acks=all}: an append completes when
 *       every in-sync replica has the record (a topic this log creates with 3 or more replicas gets
 *       {@code min.insync.replicas=2}). Kafka's durability is replication, not fsync; a broker
 *       killed with {@code kill -9} keeps what its OS page cache holds. The idempotent producer
 *       keeps retries from writing a record twice or out of order.</li>
 *   <li><b>Dedupe</b> ({@link MessageIdWindow}): an append of a messageId this node appended
 *       recently, or found in the tail of the topic at start (the last {@code dedupeWindow} records,
 *       spread over the partitions), is
 *       acknowledged DUPLICATE without being written. The window is per node and bounded; a
 *       client that retries through another node, or after the window, writes the event again, and
 *       the profile engine skips it (it dedupes the messageIds it applied). Each record carries
 *       its messageId in a header, so the start-up scan does not decode events.</li>
 *   <li><b>Delivery</b> ({@link KafkaSubscription}): one consumer group per handler; the
 *       handler's stored offsets decide where each assigned partition resumes, and Kafka's
 *       committed offsets follow only after the handler's batch is durable.</li>
 *   <li><b>{@link #size}</b> is the sum over partitions of (end − start) offsets: records in the
 *       topic, which counts a cross-node duplicate twice.</li>
 * </ul>
 *
 * <p>Thread-safe: the producer and admin client are; the window has its own monitor.
 */
public final class KafkaEventLog implements EventLog {
    static final String MESSAGE_ID = "messageId";
    /** Header of the profile engine's relay records, which only handlers that ask for them get. */
    static final String RELAY = "tessera-relay";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventLog.class);

    private final KafkaLogSettings settings;
    private final EventCodec codec = new EventCodec();
    private final KafkaTopic topic;
    private final KafkaProducer<String, byte[]> producer;
    private final MessageIdWindow window;
    private final List<KafkaSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /**
     * Connects, creates the topic if missing, and reads the topic's tail into the dedupe window.
     * Fails with {@link KafkaUnavailableException} if the brokers do not answer in time.
     */
    public KafkaEventLog(KafkaLogSettings settings) {
        this.settings = settings;
        this.topic = KafkaTopic.open(settings);
        this.window = new MessageIdWindow(settings.dedupeWindow());
        try {
            rememberTail();
            this.producer = new KafkaProducer<>(producerProperties(settings), new StringSerializer(), new ByteArraySerializer());
        } catch (RuntimeException e) {
            topic.close();
            throw e;
        }
    }

    static Properties clientProperties(KafkaLogSettings settings) {
        Properties p = new Properties();
        p.put("bootstrap.servers", settings.bootstrapServers());
        p.put("request.timeout.ms", (int) settings.requestTimeout().toMillis());
        p.put("default.api.timeout.ms", (int) settings.requestTimeout().toMillis());
        return p;
    }

    private static Properties producerProperties(KafkaLogSettings settings) {
        Properties p = clientProperties(settings);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) settings.requestTimeout().toMillis() * 2);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) settings.requestTimeout().toMillis());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "tessera-log-producer");
        return p;
    }

    @Override
    public CompletableFuture<List<AppendOutcome>> append(List<KeyedEvent> events) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the event log is closed"));
        }
        List<CompletableFuture<AppendOutcome>> outcomes = new ArrayList<>(events.size());
        for (KeyedEvent e : events) {
            outcomes.add(appendOne(e));
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenApply(done -> outcomes.stream().map(CompletableFuture::join).toList());
    }

    private CompletableFuture<AppendOutcome> appendOne(KeyedEvent keyed) {
        Event event = keyed.event();
        String messageId = event.messageId();
        CompletableFuture<Void> stored = new CompletableFuture<>();
        Optional<CompletableFuture<Void>> first = window.claim(messageId, stored);
        if (first.isPresent()) {
            return first.get().thenApply(v -> AppendOutcome.DUPLICATE);
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.topic(), keyed.partitionKey(), codec.encode(event));
        record.headers().add(MESSAGE_ID, messageId.getBytes(StandardCharsets.UTF_8));
        if (io.tessera.profile.RelayRecord.isRelay(event)) {
            record.headers().add(RELAY, new byte[] {1});
        }
        try {
            producer.send(record, (metadata, failure) -> {
                if (failure == null) {
                    stored.complete(null);
                } else {
                    window.release(messageId, stored);
                    stored.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException failure) {
            window.release(messageId, stored);
            stored.completeExceptionally(failure);
        }
        return stored.thenApply(v -> AppendOutcome.STORED);
    }

    @Override
    public Subscription subscribe(EventBatchHandler handler) {
        if (closed) {
            throw new IllegalStateException("the event log is closed");
        }
        KafkaSubscription s = new KafkaSubscription(settings, topic, handler, codec, subscriptions::remove);
        subscriptions.add(s);
        s.start();
        return s;
    }

    @Override
    public long size() {
        return topic.size();
    }

    /** Each partition's end offset (the next to be written) minus one. */
    @Override
    public Map<Integer, Long> lastOffsets() {
        Map<Integer, Long> last = new java.util.TreeMap<>();
        topic.endOffsets(topic.topicPartitions()).forEach((tp, end) -> last.put(tp.partition(), end - 1));
        return last;
    }

    /**
     * The partition the producer sends a key to: Kafka's default partitioner (murmur2 of the UTF-8
     * key, modulo the partition count), so state kept per partition elsewhere (window timers) can be
     * filed where the key's events go.
     */
    public int partitionOf(String key) {
        return org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions();
    }

    /** The topic's partition count (fixed once the topic exists). */
    public int partitions() {
        return topic.partitions();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        producer.close(settings.requestTimeout());
        subscriptions.forEach(KafkaSubscription::close);
        topic.close();
    }

    /** Reads the messageIds of the topic's last {@code dedupeWindow} records into the window. */
    private void rememberTail() {
        if (settings.dedupeWindow() == 0) {
            return;
        }
        Properties p = clientProperties(settings);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        long started = System.nanoTime();
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> all = topic.topicPartitions();
            consumer.assign(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(all);
            long perPartition = Math.max(1, settings.dedupeWindow() / all.size());
            for (TopicPartition tp : all) {
                consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - perPartition));
            }
            while (all.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    Header id = r.headers().lastHeader(MESSAGE_ID);
                    if (id != null) {
                        window.stored(new String(id.value(), StandardCharsets.UTF_8));
                        read++;
                    }
                }
            }
        }
        LOG.atInfo().setMessage("read the events topic's tail into the dedupe window")
                .addKeyValue("topic", settings.topic()).addKeyValue("messageIds", read)
                .addKeyValue("ms", (System.nanoTime() - started) / 1_000_000).log();
    }
}
