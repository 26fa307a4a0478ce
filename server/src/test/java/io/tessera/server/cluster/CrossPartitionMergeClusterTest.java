package io.tessera.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.event.Event;
import io.tessera.event.EventLog.KeyedEvent;
import io.tessera.event.EventType;
import io.tessera.ingest.HomeRouting;
import io.tessera.ingest.PartitionKeys;
import io.tessera.log.kafka.KafkaEventLog;
import io.tessera.log.kafka.KafkaLogSettings;
import io.tessera.log.kafka.KafkaProfilePartitions;
import io.tessera.profile.EventAggregate;
import io.tessera.profile.Identity;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileEngine;
import io.tessera.profile.ProfilePartitions;
import io.tessera.profile.ProfileStore;
import io.tessera.store.postgres.PostgresDatabase;
import io.tessera.store.postgres.PostgresProfileStore;
import io.tessera.testkit.KafkaBroker;
import io.tessera.testkit.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Cross-partition identity merges on a real Kafka broker and PostgreSQL: three profile engines
 * (each with its own Kafka log client and consumer, in one consumer group) on a topic of six
 * partitions. Visitors browse anonymously (their events keyed by the anonymousId) while their
 * {@code identify(userId u, anonymousId a)} goes to u's partition — another one, by choice of the
 * ids — so the merge must cross partitions; then they browse on, anonymously (some events keyed
 * through the identity graph, some by the raw anonymousId as a node with a stale routing cache
 * would) and as known users.
 *
 * <p>Node 0 owns the visitors' partitions (it applies their first anonymous events before they
 * identify) and "dies between request and hand-off": its appends
 * of relay records fail, so it commits its hand-offs (loser deleted, identities re-pointed, state
 * in the outbox) and forwards but nothing leaves; then it is shut down and the others take its
 * partitions. They must send what it left in the outbox. Finally every user is one profile whose
 * history holds each of the user's events once and whose aggregates equal a brute-force
 * recomputation from them.
 */
class CrossPartitionMergeClusterTest {
    private static final int PARTITIONS = 6;
    private static final int USERS = 24;

    @Test
    void mergesAcrossPartitionsLoseNoEventAndCountNoneTwiceThroughANodeDeathBetweenRequestAndHandOff() throws Exception {
        long seed = System.nanoTime();
        try {
            run(seed);
        } catch (AssertionError | Exception e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    private void run(long seed) throws Exception {
        Random random = new Random(seed);
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        String topic = "merges-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        KafkaLogSettings settings = new KafkaLogSettings(bootstrap, topic, PARTITIONS, (short) 1, "merges", 10_000,
                Duration.ofSeconds(6), Duration.ofSeconds(30));
        try (TestPostgres.Schema schema = TestPostgres.freshSchema();
             PostgresDatabase db = PostgresDatabase.open(new PostgresDatabase.Settings(schema.url(), schema.user(), schema.password(), 6))) {
            PostgresProfileStore store = new PostgresProfileStore(db);
            List<Node> nodes = new ArrayList<>();
            try {
                for (int n = 0; n < 3; n++) {
                    nodes.add(new Node(settings, db, n == 0));
                }
                // the group settled: two partitions each (a cooperative rebalance passes through uneven states)
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                        .until(() -> nodes.stream().allMatch(n -> n.engine.ownedPartitions().size() == PARTITIONS / nodes.size()));
                Set<Integer> dying = nodes.get(0).engine.ownedPartitions();
                KafkaEventLog log = nodes.get(1).log;
                PartitionKeys routing = new HomeRouting(store::homeKeyOf, InstantSource.system(), Duration.ofMillis(200), 10_000);

                // visitors whose anonymous partition node 0 owns and whose userId lives elsewhere
                List<String[]> users = new ArrayList<>();
                while (users.size() < USERS) {
                    String u = "u" + users.size() + "-" + random.nextInt(1_000_000);
                    String a = "a" + users.size() + "-" + random.nextInt(1_000_000);
                    if (dying.contains(log.partitionOf(a)) && log.partitionOf(u) != log.partitionOf(a) && !dying.contains(log.partitionOf(u))) {
                        users.add(new String[] {u, a});
                    }
                }
                Map<Integer, List<Event>> sent = new HashMap<>();
                List<CompletableFuture<?>> acks = new ArrayList<>();
                int[] seq = {0};

                // phase 0: anonymous browsing, applied by node 0 (the visitors' profiles live there)
                for (int k = 0; k < USERS; k++) {
                    String a = users.get(k)[1];
                    for (int i = 0; i < 1 + random.nextInt(3); i++) {
                        append(log, sent, acks, k, a, event(seq, EventType.TRACK, Optional.empty(), a, "Viewed", i));
                    }
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                await().atMost(Duration.ofMinutes(1)).until(() -> users.stream().allMatch(us -> store.resolve(Identity.anonymousId(us[1])).isPresent()));

                // phase 1: identify in u's partition while more anonymous events arrive in a's, appended without waiting
                List<Runnable> phase1 = new ArrayList<>();
                for (int k = 0; k < USERS; k++) {
                    int user = k;
                    String u = users.get(k)[0];
                    String a = users.get(k)[1];
                    for (int i = 0; i < random.nextInt(4); i++) {
                        Event viewed = event(seq, EventType.TRACK, Optional.empty(), a, "Viewed", i);
                        phase1.add(() -> append(log, sent, acks, user, a, viewed));
                    }
                    Event identify = event(seq, EventType.IDENTIFY, Optional.of(u), a, "", 0);
                    phase1.add(() -> append(log, sent, acks, user, u, identify));
                }
                java.util.Collections.shuffle(phase1, random);
                phase1.forEach(Runnable::run);
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

                // node 0 hands its visitors over (committed, in its outbox) but sends nothing
                await().atMost(Duration.ofMinutes(1)).until(() -> handoffsPending(store, dying) > 0);
                assertThat(nodes.get(0).engine.ownedPartitions()).as("node 0 kept its partitions").isEqualTo(dying);

                // phase 2: late anonymous events (raw key or through the graph), known events; node 0 dies midway
                List<Runnable> phase2 = new ArrayList<>();
                for (int k = 0; k < USERS; k++) {
                    int user = k;
                    String u = users.get(k)[0];
                    String a = users.get(k)[1];
                    for (int i = 0; i < 1 + random.nextInt(4); i++) {
                        Event late = event(seq, EventType.TRACK, Optional.empty(), a, "Viewed", i);
                        boolean raw = random.nextBoolean();
                        phase2.add(() -> append(log, sent, acks, user, raw ? a : routing.keyOf(late), late));
                    }
                    for (int i = 0; i < random.nextInt(3); i++) {
                        Event bought = event(seq, EventType.TRACK, Optional.of(u), a, "Bought", i);
                        phase2.add(() -> append(log, sent, acks, user, u, bought));
                    }
                }
                java.util.Collections.shuffle(phase2, random);
                for (int i = 0; i < phase2.size(); i++) {
                    if (i == phase2.size() / 2) {
                        nodes.get(0).close(); // its partitions move to nodes 1 and 2, with what it left in the outbox
                    }
                    phase2.get(i).run();
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                assertThat(nodes.get(0).engine.relaysSent()).as("node 0 sent no relay record").isZero();

                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> quiet(store, log));
                verify(store, users, sent);
                assertThat(nodes.get(1).engine.relaysSent() + nodes.get(2).engine.relaysSent()).as("relays sent by the survivors").isPositive();
            } finally {
                nodes.forEach(Node::close);
            }
        }
    }

    private static Event event(int[] seq, EventType type, Optional<String> userId, String anonymousId, String name, int value) {
        Instant at = Instant.parse("2026-11-01T10:00:00Z").plusSeconds(++seq[0]);
        Map<String, Object> properties = type == EventType.TRACK ? Map.of("value", value + 1) : Map.of();
        Map<String, Object> traits = type == EventType.IDENTIFY ? Map.of("plan", "p" + seq[0]) : Map.of();
        return new Event("m" + seq[0], type, userId, Optional.of(anonymousId), name, properties, traits, Map.of(), Map.of(),
                Optional.empty(), Optional.empty(), at, at, Optional.empty(), "test");
    }

    private static synchronized void append(KafkaEventLog log, Map<Integer, List<Event>> sent, List<CompletableFuture<?>> acks,
                                            int user, String key, Event e) {
        sent.computeIfAbsent(user, k -> new ArrayList<>()).add(e);
        acks.add(log.append(List.of(new KeyedEvent(key, e))));
    }

    private static long handoffsPending(PostgresProfileStore store, Set<Integer> partitions) {
        return partitions.stream().flatMap(p -> store.pendingRelays(p).stream())
                .filter(r -> r.messageId().startsWith("relay:handoff:")).count();
    }

    /** Every record of the topic applied, nothing left in any outbox. */
    private static boolean quiet(PostgresProfileStore store, KafkaEventLog log) {
        long applied = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            if (!store.pendingRelays(p).isEmpty()) {
                return false;
            }
            applied += store.resumeAfter(p) + 1;
        }
        return applied == log.size();
    }

    private static void verify(ProfileStore store, List<String[]> users, Map<Integer, List<Event>> sent) {
        for (int k = 0; k < users.size(); k++) {
            String u = users.get(k)[0];
            String a = users.get(k)[1];
            String id = store.resolve(Identity.userId(u)).orElseThrow(() -> new AssertionError("no profile for " + u));
            assertThat(store.resolve(Identity.anonymousId(a))).as("%s resolves to the survivor", a).contains(id);
            List<Event> all = sent.get(k);
            assertThat(store.history(id)).extracting(Event::messageId).as("%s's history: each event once", u)
                    .containsExactlyInAnyOrderElementsOf(all.stream().map(Event::messageId).toList());
            Profile p = store.get(id).orElseThrow();
            assertThat(p.events()).as("%s's aggregates", u).isEqualTo(aggregates(all));
            assertThat(p.identities().get(IdentityKind.USER_ID)).containsExactly(u);
        }
        assertThat(store.count()).as("one profile per user: every anonymous profile merged").isEqualTo(users.size());
    }

    private static Map<String, EventAggregate> aggregates(List<Event> events) {
        Map<String, List<Event>> byKey = new HashMap<>();
        for (Event e : events) {
            byKey.computeIfAbsent(e.type() == EventType.TRACK ? e.name() : e.type().wireName(), k -> new ArrayList<>()).add(e);
        }
        Map<String, EventAggregate> out = new HashMap<>();
        byKey.forEach((k, es) -> {
            Map<String, Double> sums = new HashMap<>();
            es.forEach(e -> e.properties().forEach((name, v) -> sums.merge(name, ((Number) v).doubleValue(), Double::sum)));
            out.put(k, new EventAggregate(es.size(), es.stream().map(Event::timestamp).min(Instant::compareTo).orElseThrow(),
                    es.stream().map(Event::timestamp).max(Instant::compareTo).orElseThrow(), sums));
        });
        return out;
    }

    /** One processing node in this JVM: its own Kafka client and consumer, a profile engine, the shared database. */
    private static final class Node implements AutoCloseable {
        final KafkaEventLog log;
        final ProfileEngine engine;
        final io.tessera.event.EventLog.Subscription subscription;
        private boolean closed;

        Node(KafkaLogSettings settings, PostgresDatabase db, boolean sendsNothing) {
            this.log = new KafkaEventLog(settings);
            ProfilePartitions kafka = new KafkaProfilePartitions(log);
            ProfilePartitions partitions = !sendsNothing ? kafka : new ProfilePartitions() {
                @Override
                public int count() {
                    return kafka.count();
                }

                @Override
                public int partitionOf(String key) {
                    return kafka.partitionOf(key);
                }

                @Override
                public CompletableFuture<?> send(List<KeyedEvent> records) {
                    return CompletableFuture.failedFuture(new IllegalStateException("this node dies before its relay records leave"));
                }
            };
            this.engine = new ProfileEngine(new PostgresProfileStore(db), InstantSource.system(), ProfileEngine.Options.defaults(), partitions);
            this.subscription = log.subscribe(engine);
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                subscription.close();
                log.close();
            }
        }
    }
}
