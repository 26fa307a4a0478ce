package io.tessera.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import io.tessera.event.EventLog;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileEngine;
import io.tessera.profile.ProfilePartitions;
import io.tessera.segment.Backfill;
import io.tessera.segment.HistoryEvaluator;
import io.tessera.segment.MembershipChange;
import io.tessera.segment.MembershipWriter;
import io.tessera.segment.PartitionBackfills;
import io.tessera.segment.ProfileScores;
import io.tessera.segment.SegmentEngine;
import io.tessera.segment.SegmentRegistry;
import io.tessera.testkit.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In a cluster a saved segment is backfilled partition by partition, each by the partition's owner
 * ({@link PartitionBackfills}): two nodes on one PostgreSQL database, four log partitions. The
 * write audit is each node's own durable membership changes (its engine's listener) and the
 * backfill ledger's record of who completed each partition.
 */
class PostgresPartitionBackfillTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final int PARTITIONS = 4;
    private static final String BUYERS = "count(\"Order Completed\") >= 2";

    private final PostgresTestDatabase db = new PostgresTestDatabase();
    private final MutableClock clock = new MutableClock(T0);
    private final PostgresProfileStore profiles = new PostgresProfileStore(db.get());
    private final PostgresBackfillLedger ledger = new PostgresBackfillLedger(db.get());

    @AfterEach
    void dropSchema() {
        db.close();
    }

    private static int partitionOf(String key) {
        return Math.floorMod(key.hashCode(), PARTITIONS);
    }

    private static final ProfilePartitions FOUR = new ProfilePartitions() {
        @Override
        public int count() {
            return PARTITIONS;
        }

        @Override
        public int partitionOf(String key) {
            return PostgresPartitionBackfillTest.partitionOf(key);
        }

        @Override
        public CompletableFuture<?> send(List<EventLog.KeyedEvent> records) {
            return CompletableFuture.failedFuture(new IllegalStateException("no profile crosses partitions here"));
        }
    };

    /** 40 users, each in its key's partition, with 0-3 orders; applied before any segment exists. */
    @BeforeEach
    void profilesExist() {
        ProfileEngine seed = new ProfileEngine(profiles, clock, ProfileEngine.Options.defaults(), FOUR);
        Map<Integer, List<LoggedEvent>> batches = new TreeMap<>();
        for (int u = 0; u < 40; u++) {
            String user = "u" + u;
            int p = partitionOf(user);
            for (int o = 0; o < u % 4; o++) {
                List<LoggedEvent> batch = batches.computeIfAbsent(p, k -> new ArrayList<>());
                batch.add(new LoggedEvent(p, batch.size(), Event.track(user + "-o" + o, user, "Order Completed", Map.of(), T0)));
            }
            if (u % 4 == 0) {
                List<LoggedEvent> batch = batches.computeIfAbsent(p, k -> new ArrayList<>());
                batch.add(new LoggedEvent(p, batch.size(), Event.track(user + "-v", user, "Product Viewed", Map.of(), T0)));
            }
        }
        batches.forEach(seed::onBatch);
        assertThat(batches.keySet()).containsExactly(0, 1, 2, 3);
    }

    /** One node: its epochs, engine, registry and partition backfills; tasks wait in {@link #queued} until run. */
    private final class Node {
        final String name;
        final PostgresOwnerEpochs epochs = new PostgresOwnerEpochs(db.get());
        final PostgresMembershipStore memberships = new PostgresMembershipStore(db.get(), epochs);
        final SegmentEngine segments;
        final SegmentRegistry registry;
        final PartitionBackfills backfills;
        final AtomicReference<Set<Integer>> owned = new AtomicReference<>(Set.of());
        final List<Runnable> queued = new ArrayList<>();
        /** Profiles whose memberships this node wrote durably. */
        final Set<String> wrote = new TreeSet<>();

        Node(String name, Integer... partitions) {
            this.name = name;
            PostgresWindowTimerStore timers = new PostgresWindowTimerStore(db.get(), epochs);
            segments = new SegmentEngine(profiles, MembershipWriter.inline(memberships, timers), timers, ProfileScores.none(), clock, 1000);
            segments.addListener(changes -> changes.stream().map(MembershipChange::profileId).forEach(wrote::add));
            registry = new SegmentRegistry(new PostgresSegmentDefinitionStore(db.get()), memberships, segments, profiles, clock, Runnable::run);
            backfills = new PartitionBackfills(profiles, segments, ledger, PARTITIONS, owned::get,
                    p -> partitionOf(p.homeKey().orElseThrow()), queued::add, name);
            registry.backfillByPartition(backfills);
            registry.start();
            assign(partitions);
        }

        void assign(Integer... partitions) {
            epochs.claim(List.of(partitions));
            Set<Integer> now = new TreeSet<>(owned.get());
            now.addAll(List.of(partitions));
            owned.set(Set.copyOf(now));
            backfills.onPartitionsAssigned(List.of(partitions));
        }

        /** As the profile engine revokes: owned set first, then the listener, then the epochs. */
        void revoke(Integer... partitions) {
            Set<Integer> now = new TreeSet<>(owned.get());
            List.of(partitions).forEach(now::remove);
            owned.set(Set.copyOf(now));
            backfills.onPartitionsRevoked(List.of(partitions));
            epochs.release(List.of(partitions));
        }

        void runQueued() {
            while (!queued.isEmpty()) {
                queued.removeFirst().run();
            }
        }
    }

    private Set<String> profilesIn(Set<Integer> partitions) {
        Set<String> out = new TreeSet<>();
        for (String id : profiles.ids("", Integer.MAX_VALUE)) {
            Profile p = profiles.get(id).orElseThrow();
            if (partitions.contains(partitionOf(p.homeKey().orElseThrow()))) {
                out.add(id);
            }
        }
        return out;
    }

    private void assertMembershipsEqualBruteForce(Node node) {
        HistoryEvaluator brute = new HistoryEvaluator(ProfileScores.none());
        int members = 0;
        for (String id : profiles.ids("", Integer.MAX_VALUE)) {
            Set<String> expected = brute.memberships(node.segments.catalog(), profiles.get(id).orElseThrow(), profiles.history(id), clock.instant());
            assertThat(new TreeSet<>(node.memberships.memberships(id).keySet())).as("memberships of %s", id).isEqualTo(new TreeSet<>(expected));
            members += expected.size();
        }
        assertThat(members).isEqualTo(20); // u2, u3 mod 4: two or three orders
    }

    @Test
    void eachPartitionIsBackfilledByItsOwnerOnly() {
        Node a = new Node("a", 0, 1);
        Node b = new Node("b", 2, 3);

        a.registry.save("buyers", "Buyers", BUYERS);
        a.runQueued();
        assertThat(a.registry.backfill("buyers")).get().extracting(Backfill.Progress::status).isEqualTo(Backfill.Status.RUNNING);
        assertThat(b.registry.refresh()).isTrue();          // the definitions feed tells b
        b.runQueued();

        assertThat(ledger.doneBy("buyers", 1)).isEqualTo(Map.of(0, "a", 1, "a", 2, "b", 3, "b"));
        assertThat(a.wrote).isNotEmpty().isSubsetOf(profilesIn(Set.of(0, 1)));
        assertThat(b.wrote).isNotEmpty().isSubsetOf(profilesIn(Set.of(2, 3)));
        assertMembershipsEqualBruteForce(a);
        assertThat(a.registry.backfill("buyers")).get().satisfies(p -> {
            assertThat(p.status()).isEqualTo(Backfill.Status.DONE);
            assertThat(p.done()).isEqualTo(p.total()).isEqualTo(40L);
        });
    }

    @Test
    void aPartitionThatMovesMidBackfillIsCompletedByItsNewOwnerAndTheOldOnesLateWritesAreRolledBack() {
        Node a = new Node("a", 0, 1, 2, 3);
        Node b = new Node("b");
        a.registry.save("buyers", "Buyers", BUYERS);
        b.registry.refresh();
        a.queued.removeFirst().run();                       // partition 0 done; 1, 2, 3 still to do

        a.revoke(1);                                        // a rebalance moves partition 1 to b
        b.assign(1);
        b.runQueued();
        // partition 2 moves to b while a is stalled: a, fenced out without knowing, still evaluates it
        b.assign(2);
        a.runQueued();
        assertThat(a.backfills.lastFailure()).containsInstanceOf(StaleEpochException.class);
        b.runQueued();

        assertThat(ledger.doneBy("buyers", 1)).isEqualTo(Map.of(0, "a", 1, "b", 2, "b"));
        assertThat(a.wrote).isNotEmpty().isSubsetOf(profilesIn(Set.of(0)));
        assertThat(b.wrote).isNotEmpty().isSubsetOf(profilesIn(Set.of(1, 2)));
        assertThat(ledger.open(List.of(3))).extracting(o -> o.partition()).containsExactly(3); // a, fenced, did not mark it
        a.revoke(3);
        b.assign(3);
        b.runQueued();
        assertThat(ledger.doneBy("buyers", 1)).containsEntry(3, "b").hasSize(4);
        assertMembershipsEqualBruteForce(b);
    }
}
