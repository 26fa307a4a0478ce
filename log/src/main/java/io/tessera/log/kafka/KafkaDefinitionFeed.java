package io.tessera.log.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "A definition changed" notices on the compacted, one-partition {@code definitions} topic: a
 * node that saves or deletes a segment or campaign publishes {@code kind:key} after the change is
 * durable in PostgreSQL; every node reads the topic (no consumer group: each reads all of it, from
 * its end at start) and reloads that kind of definition from the store. The notice carries no
 * state — the store is the truth — so compaction keeping only the latest notice per key is fine,
 * and a lost or repeated notice costs a reload at most.
 *
 * <p>A node reads the store once right after it positioned itself at the topic's end (the
 * listener is called with {@link Notice#ALL}), so a change published between the node's start-up
 * load and that moment is not missed.
 *
 * <p>Threading: {@link #publish} from any thread; the listener runs on the feed's own thread.
 */
public final class KafkaDefinitionFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaDefinitionFeed.class);

    /** A change of one kind of definition ("segment", "campaign"); {@link #ALL} at start. */
    public record Notice(String kind, String key) {
        public static final Notice ALL = new Notice("*", "*");

        public boolean concerns(String k) {
            return kind.equals("*") || kind.equals(k);
        }
    }

    private final KafkaLogSettings kafka;
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private volatile boolean stopped;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public KafkaDefinitionFeed(KafkaLogSettings kafka, KafkaStreamSettings topics) {
        this.kafka = kafka;
        this.topic = topics.definitions();
        Properties p = KafkaEventLog.clientProperties(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) kafka.requestTimeout().toMillis());
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Tells every node that {@code kind:key} changed; returns once Kafka has it. */
    public void publish(String kind, String key) {
        String k = kind + ":" + key;
        try {
            producer.send(new ProducerRecord<>(topic, 0, k, k.getBytes(StandardCharsets.UTF_8))).get();
        } catch (ExecutionException e) {
            // the change is durable; other nodes see it at their next notice or start
            LOG.warn("could not publish definition change {}: {}", k, e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts reading notices from the topic's end; {@code listener} gets {@link Notice#ALL} first. */
    public synchronized void listen(Consumer<Notice> listener) {
        if (thread != null) {
            throw new IllegalStateException("already listening");
        }
        thread = Thread.ofPlatform().name("definition-feed").daemon().start(() -> loop(listener));
    }

    private void loop(Consumer<Notice> listener) {
        Properties p = KafkaEventLog.clientProperties(kafka);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer = c;
        try {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            boolean positioned = false;
            while (!stopped) {
                try {
                    if (!positioned) {
                        c.seekToEnd(List.of(tp));
                        c.position(tp);
                        positioned = true;
                        deliver(listener, Notice.ALL);
                    }
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        String k = r.key() == null ? "" : r.key();
                        int colon = k.indexOf(':');
                        deliver(listener, colon < 0 ? Notice.ALL : new Notice(k.substring(0, colon), k.substring(colon + 1)));
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (org.apache.kafka.common.KafkaException e) {
                    // read again from the end, then re-read the store: whatever was missed is in it
                    LOG.warn("definition feed: {}; going on", e.toString());
                    positioned = false;
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        } catch (WakeupException e) {
            // stop
        } finally {
            c.close(Duration.ofSeconds(2));
        }
    }

    private static void deliver(Consumer<Notice> listener, Notice n) {
        try {
            listener.accept(n);
        } catch (RuntimeException e) {
            LOG.warn("reloading definitions after {} failed", n, e);
        }
    }

    @Override
    public void close() {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        ConsumerThreads.stop(t, consumer, () -> { }, Duration.ofSeconds(10));
        producer.close(Duration.ofSeconds(5));
    }
}
