package io.tessera.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.log.kafka.KafkaLogSettings;
import io.tessera.log.kafka.KafkaMembershipChanges;
import io.tessera.log.kafka.KafkaStreamSettings;
import io.tessera.segment.MembershipChange;
import io.tessera.segment.MembershipStore;
import io.tessera.store.postgres.PostgresDatabase;
import io.tessera.store.postgres.PostgresMembershipStore;
import io.tessera.testkit.KafkaBroker;
import io.tessera.testkit.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The segment-changes topic on a real broker and a real PostgreSQL membership log: two nodes run
 * the relay, one of them publishes; while changes are being written the publishing node is
 * halted (as by {@code kill -9}: its open Kafka transaction is neither committed nor aborted) and
 * the other takes over. Every durable change is then on the topic exactly once, as committed
 * readers see it, keyed by its profile; and every change reached a subscriber.
 */
class SegmentChangesTopicTest {
    private static final int PROFILES = 40;
    private static final int TRANSACTIONS = 200;

    @Test
    void everyDurableChangeIsOnTheTopicExactlyOnceWhenThePublishingNodeDies() throws Exception {
        String run = "sct-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        KafkaLogSettings kafka = new KafkaLogSettings(KafkaBroker.shared().bootstrapServers(), run + "-events", 1, (short) 1,
                run, 0, Duration.ofSeconds(6), Duration.ofSeconds(30));
        KafkaStreamSettings d = KafkaStreamSettings.defaults().prefixed(run + "-");
        KafkaStreamSettings topics = new KafkaStreamSettings(d.segmentChanges(), 4, d.sendJobs(), 1, d.definitions(),
                Duration.ofMillis(50), Duration.ofSeconds(2));
        ClusterTopics.ensure(kafka, topics);
        try (TestPostgres.Schema pg = TestPostgres.freshSchema();
             PostgresDatabase db = PostgresDatabase.open(new PostgresDatabase.Settings(pg.url(), pg.user(), pg.password(), 4));
             PostgresMembershipStore log = new PostgresMembershipStore(db)) {
            ConcurrentLinkedQueue<MembershipChange> delivered = new ConcurrentLinkedQueue<>();
            KafkaMembershipChanges first = new KafkaMembershipChanges(kafka, topics, log).start();
            first.subscribe("audit", delivered::addAll);
            await().atMost(Duration.ofSeconds(60)).until(() -> first.relay().leading());
            KafkaMembershipChanges second = new KafkaMembershipChanges(kafka, topics, log).start(); // a rebalance
            second.subscribe("audit", delivered::addAll);
            try {
                AtomicInteger written = new AtomicInteger();
                Thread writer = Thread.ofPlatform().start(() -> write(log, written));
                await().atMost(Duration.ofSeconds(60)).until(() -> written.get() >= TRANSACTIONS / 3
                        && first.relay().published() + second.relay().published() > 0);
                KafkaMembershipChanges leader = first.relay().leading() ? first : second;
                KafkaMembershipChanges survivor = leader == first ? second : first;
                leader.halt();
                writer.join();
                long last = log.latestChange();
                assertThat(last).isEqualTo(2L * TRANSACTIONS);

                await().atMost(Duration.ofSeconds(60)).until(survivor.relay()::leading);
                List<ConsumerRecord<String, byte[]>> onTopic = readCommitted(kafka, topics.segmentChanges(), (int) last);
                List<Long> seqs = onTopic.stream().map(r -> Long.parseLong(new String(r.headers().lastHeader("seq").value()))).sorted().toList();
                List<Long> expected = new ArrayList<>();
                for (long s = 1; s <= last; s++) {
                    expected.add(s);
                }
                assertThat(seqs).as("each durable change once on the topic").containsExactlyElementsOf(expected);
                Map<Long, MembershipChange> stored = new java.util.HashMap<>();
                log.changesAfter(0, (int) last).forEach(c -> stored.put(c.seq(), c.change()));
                for (ConsumerRecord<String, byte[]> r : onTopic) {
                    long seq = Long.parseLong(new String(r.headers().lastHeader("seq").value()));
                    assertThat(r.key()).as("keyed by profile").isEqualTo(stored.get(seq).profileId());
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> new HashSet<>(delivered).containsAll(stored.values()));
                assertThat(survivor.relay().published()).as("the surviving node took over publishing").isPositive();
            } finally {
                first.close();
                second.close();
            }
        }
    }

    /** Enter-then-exit pairs for a rotating set of profiles, two changes per transaction. */
    private static void write(MembershipStore log, AtomicInteger written) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < TRANSACTIONS; i++) {
            String profile = "p" + (i % PROFILES);
            Instant at = t.plusSeconds(i);
            log.apply(List.of(new MembershipChange("seg-a", 1, profile, (i / PROFILES) % 2 == 0, at, "event:m" + i),
                    new MembershipChange("seg-b", 1, profile, (i / PROFILES) % 2 == 0, at, "event:m" + i)));
            written.incrementAndGet();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Everything committed on the topic, read from the beginning until {@code expected} records or 30 s. */
    private static List<ConsumerRecord<String, byte[]>> readCommitted(KafkaLogSettings kafka, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                if (out.size() >= expected) {
                    // drain a little longer: a duplicate would arrive after the expected count
                    long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    while (System.nanoTime() < until) {
                        c.poll(Duration.ofMillis(200)).forEach(out::add);
                    }
                    break;
                }
            }
        }
        return out;
    }

}
