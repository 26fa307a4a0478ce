package io.tessera.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tessera.event.Event;
import io.tessera.event.EventLog.KeyedEvent;
import io.tessera.event.EventType;
import io.tessera.event.LoggedEvent;
import io.tessera.ingest.HomeRouting;
import io.tessera.ingest.Ingestor;
import io.tessera.profile.EventAggregate;
import io.tessera.profile.Identity;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileEngine;
import io.tessera.profile.ProfilePartitions;
import io.tessera.profile.ProfileStore;
import io.tessera.testkit.InMemoryProfileStore;
import io.tessera.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The cross-partition merge protocol under seeded random interleavings, without a broker: a log
 * of several partitions in memory, several profile engines that own them, and a scheduler that
 * picks at random what happens next — an event is ingested (keyed through the identity graph, or
 * by its raw key, as a node with a stale routing cache would), a batch of some partition is
 * applied by its owner, a partition moves to another engine, an engine is killed (a fresh instance
 * takes its partitions: caches, positions and unsent relay records lost), or an engine's next
 * appends of relay records fail (they stay in the store's outbox). Every user first browses
 * anonymously, then identifies ({@code identify(userId u, anonymousId a)}, usually keyed to
 * another partition than {@code a}), then browses on, anonymously and known.
 *
 * <p>At the end every user is one profile whose aggregates and history equal a brute-force
 * recomputation from all the user's events, each counted once, and both its ids resolve to it.
 * Runs on the in-memory store with many seeds and on PostgreSQL (one engine per store, one
 * database) with a few.
 */
class CrossPartitionMergeSimulationTest {
    private static final int PARTITIONS = 4;
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void everyUserEndsAsOneProfileWithEachEventOnceWhateverTheInterleaving() {
        for (long seed = 1; seed <= 40; seed++) {
            InMemoryProfileStore store = new InMemoryProfileStore();
            run(seed, () -> store, store);
        }
    }

    @Test
    void theSameOnPostgresql() {
        for (long seed = 101; seed <= 103; seed++) {
            try (PostgresTestDatabase db = new PostgresTestDatabase()) {
                PostgresDatabase database = db.get();
                run(seed, () -> new PostgresProfileStore(database), new PostgresProfileStore(database));
            }
        }
    }

    /** Relay records the runs sent, by kind: the runs must have exercised the protocol. */
    private final Map<String, Integer> relayKinds = new java.util.TreeMap<>();

    @org.junit.jupiter.api.AfterEach
    void theRunsCrossedPartitions() {
        assertThat(relayKinds).containsKeys("request", "handoff", "forward");
    }

    private void run(long seed, Supplier<ProfileStore> stores, ProfileStore check) {
        try {
            new Simulation(seed, stores, check, relayKinds).run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    /** Kafka's default partitioner is not needed: any fixed function of the key will do. */
    static int partitionOf(String key) {
        return Math.floorMod(key.hashCode() * 31 + 7, PARTITIONS);
    }

    private static final class Simulation {
        private final Random random;
        private final Supplier<ProfileStore> stores;
        private final ProfileStore check;
        private final MutableClock clock = new MutableClock(T0);
        private final List<List<Event>> log = new ArrayList<>();
        private final List<Node> nodes = new ArrayList<>();
        private final int[] owner = new int[PARTITIONS];
        private final List<List<Event>> scripts = new ArrayList<>();
        private final List<String> userIds = new ArrayList<>();
        private final List<String> anonymousIds = new ArrayList<>();
        private final HomeRouting routing;
        private final Map<String, Integer> relayKinds;
        private int seq;

        Simulation(long seed, Supplier<ProfileStore> stores, ProfileStore check, Map<String, Integer> relayKinds) {
            this.relayKinds = relayKinds;
            this.random = new Random(seed * 0x9E3779B97F4A7C15L);
            this.stores = stores;
            this.check = check;
            this.routing = new HomeRouting(check::homeKeyOf, clock, Duration.ofSeconds(2), 1_000);
            for (int p = 0; p < PARTITIONS; p++) {
                log.add(new ArrayList<>());
            }
            int engines = 2 + random.nextInt(2);
            for (int n = 0; n < engines; n++) {
                nodes.add(new Node());
            }
            for (int p = 0; p < PARTITIONS; p++) {
                owner[p] = p % engines;
                nodes.get(owner[p]).engine.onPartitionsAssigned(List.of(p));
            }
            int users = 6 + random.nextInt(6);
            for (int u = 0; u < users; u++) {
                scripts.add(script(u));
            }
        }

        /** A user's events in the order the client sends them: anonymous views, identify, then a mix. */
        private List<Event> script(int user) {
            String u = "user" + user + "-" + random.nextInt(1000);
            String a = "anon" + user + "-" + random.nextInt(1000);
            userIds.add(u);
            anonymousIds.add(a);
            List<Event> out = new ArrayList<>();
            int before = 1 + random.nextInt(4);
            for (int i = 0; i < before; i++) {
                out.add(track(Optional.empty(), a, "Viewed", i));
            }
            out.add(event(EventType.IDENTIFY, Optional.of(u), Optional.of(a), "", Map.of(),
                    Map.of("email", u + "@example.com", "plan", "p" + random.nextInt(3))));
            int after = 1 + random.nextInt(5);
            for (int i = 0; i < after; i++) {
                out.add(random.nextBoolean() ? track(Optional.empty(), a, "Viewed", i) : track(Optional.of(u), a, "Bought", i));
            }
            return out;
        }

        private Event track(Optional<String> userId, String anonymousId, String name, int value) {
            return event(EventType.TRACK, userId, userId.isPresent() && random.nextBoolean() ? Optional.empty() : Optional.of(anonymousId),
                    name, Map.of("value", value + 1), Map.of());
        }

        private Event event(EventType type, Optional<String> userId, Optional<String> anonymousId, String name,
                            Map<String, Object> properties, Map<String, Object> traits) {
            Instant at = T0.plusSeconds(++seq);
            return new Event("m" + seq, type, userId, anonymousId, name, properties, traits, Map.of(), Map.of(),
                    Optional.empty(), Optional.empty(), at, at, Optional.empty(), "sim");
        }

        void run() {
            List<Integer> next = new ArrayList<>();
            scripts.forEach(s -> next.add(0));
            int steps = 0;
            while (true) {
                boolean ingestLeft = false;
                for (int u = 0; u < scripts.size(); u++) {
                    ingestLeft |= next.get(u) < scripts.get(u).size();
                }
                if (!ingestLeft && quiet()) {
                    break;
                }
                if (++steps > 20_000) {
                    fail("no quiescence after 20,000 steps");
                }
                int roll = random.nextInt(100);
                if (roll < 35 && ingestLeft) {
                    int u = random.nextInt(scripts.size());
                    if (next.get(u) < scripts.get(u).size()) {
                        ingest(scripts.get(u).get(next.get(u)));
                        next.set(u, next.get(u) + 1);
                    }
                } else if (roll < 85) {
                    deliver(random.nextInt(PARTITIONS));
                } else if (roll < 90) {
                    move(random.nextInt(PARTITIONS), random.nextInt(nodes.size()));
                } else if (roll < 93) {
                    kill(random.nextInt(nodes.size()));
                } else if (roll < 97) {
                    nodes.get(random.nextInt(nodes.size())).failSends = 1 + random.nextInt(2);
                } else {
                    nodes.get(random.nextInt(nodes.size())).engine.onIdle();
                }
                clock.advance(Duration.ofMillis(300));
            }
            verify();
            log.forEach(l -> l.stream().filter(io.tessera.profile.RelayRecord::isRelay)
                    .forEach(e -> relayKinds.merge((String) e.properties().get("relay"), 1, Integer::sum)));
        }

        private void ingest(Event e) {
            String key = random.nextInt(4) == 0 ? Ingestor.partitionKey(e) : routing.keyOf(e);
            log.get(partitionOf(key)).add(e);
        }

        /** Nothing left to apply or to send. */
        private boolean quiet() {
            for (Node n : nodes) {
                n.failSends = 0;
                n.engine.onIdle();
            }
            for (int p = 0; p < PARTITIONS; p++) {
                if (nodes.get(owner[p]).engine.resumeAfter(p) < log.get(p).size() - 1) {
                    return false;
                }
                if (!check.pendingRelays(p).isEmpty()) {
                    return false;
                }
            }
            return true;
        }

        private void deliver(int p) {
            ProfileEngine engine = nodes.get(owner[p]).engine;
            long from = engine.resumeAfter(p) + 1;
            List<Event> records = log.get(p);
            if (from >= records.size()) {
                return;
            }
            int size = 1 + random.nextInt(5);
            List<LoggedEvent> batch = new ArrayList<>();
            for (long o = from; o < Math.min(records.size(), from + size); o++) {
                batch.add(new LoggedEvent(p, o, records.get((int) o)));
            }
            engine.onBatch(p, batch);
        }

        private void move(int p, int to) {
            if (owner[p] == to) {
                return;
            }
            nodes.get(owner[p]).engine.onPartitionsRevoked(List.of(p));
            owner[p] = to;
            nodes.get(to).engine.onPartitionsAssigned(List.of(p));
        }

        /** The engine dies (no revoke); a new instance takes its partitions from the store. */
        private void kill(int n) {
            Node fresh = new Node();
            nodes.set(n, fresh);
            List<Integer> its = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                if (owner[p] == n) {
                    its.add(p);
                }
            }
            fresh.engine.onPartitionsAssigned(its);
        }

        private void verify() {
            Set<String> survivors = new HashSet<>();
            for (int u = 0; u < scripts.size(); u++) {
                String id = check.resolve(Identity.userId(userIds.get(u))).orElseThrow(() -> new AssertionError("no profile"));
                survivors.add(id);
                assertThat(check.resolve(Identity.anonymousId(anonymousIds.get(u)))).as("user %d's anonymousId", u).contains(id);
                Profile p = check.get(id).orElseThrow();
                List<Event> all = scripts.get(u);
                assertThat(check.history(id)).extracting(Event::messageId).as("user %d's history, each event once", u)
                        .containsExactlyInAnyOrderElementsOf(all.stream().map(Event::messageId).toList());
                assertThat(p.events()).as("user %d's aggregates", u).isEqualTo(aggregates(all));
                assertThat(p.traits().get("plan").value()).isEqualTo(all.stream().filter(e -> e.type() == EventType.IDENTIFY)
                        .reduce((a, b) -> b).orElseThrow().traits().get("plan"));
                assertThat(p.identities().get(io.tessera.profile.IdentityKind.USER_ID)).containsExactly(userIds.get(u));
            }
            assertThat(check.count()).as("profiles: one per user, every anonymous one merged").isEqualTo(scripts.size());
            assertThat(survivors).hasSize(scripts.size());
        }

        /** Brute force: count, first and last time, and property sums per event key. */
        private static Map<String, EventAggregate> aggregates(List<Event> events) {
            Map<String, List<Event>> byKey = new HashMap<>();
            for (Event e : events) {
                byKey.computeIfAbsent(e.type() == EventType.TRACK ? e.name() : e.type().wireName(), k -> new ArrayList<>()).add(e);
            }
            Map<String, EventAggregate> out = new HashMap<>();
            byKey.forEach((k, es) -> {
                Map<String, Double> sums = new HashMap<>();
                for (Event e : es) {
                    e.properties().forEach((name, v) -> sums.merge(name, ((Number) v).doubleValue(), Double::sum));
                }
                Instant first = es.stream().map(Event::timestamp).min(Instant::compareTo).orElseThrow();
                Instant last = es.stream().map(Event::timestamp).max(Instant::compareTo).orElseThrow();
                out.put(k, new EventAggregate(es.size(), first, last, sums));
            });
            return out;
        }

        /** One engine and the log appends it makes (which fail while {@code failSends} > 0). */
        private final class Node {
            final ProfileEngine engine;
            int failSends;

            Node() {
                ProfilePartitions partitions = new ProfilePartitions() {
                    @Override
                    public int count() {
                        return PARTITIONS;
                    }

                    @Override
                    public int partitionOf(String key) {
                        return CrossPartitionMergeSimulationTest.partitionOf(key);
                    }

                    @Override
                    public CompletableFuture<?> send(List<KeyedEvent> records) {
                        if (failSends > 0) {
                            failSends--;
                            return CompletableFuture.failedFuture(new IllegalStateException("the log is down"));
                        }
                        records.forEach(r -> log.get(partitionOf(r.partitionKey())).add(r.event()));
                        return CompletableFuture.completedFuture(null);
                    }
                };
                this.engine = new ProfileEngine(stores.get(), clock, ProfileEngine.Options.defaults(), partitions);
            }
        }
    }
}
