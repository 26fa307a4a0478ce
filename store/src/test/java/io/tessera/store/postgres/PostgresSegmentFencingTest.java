package io.tessera.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.tessera.event.Event;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.Identity;
import io.tessera.profile.ProfileEngine;
import io.tessera.segment.MembershipChange;
import io.tessera.segment.MembershipWriter;
import io.tessera.segment.PartitionHandover;
import io.tessera.segment.ProfileScores;
import io.tessera.segment.SegmentEngine;
import io.tessera.segment.SegmentRegistry;
import io.tessera.testkit.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database both believe they own partition 0: the zombie (fenced out of
 * the group without knowing it) committed a batch's profiles just before its successor took over,
 * and its segment writes for that batch — written behind the profile commit — arrive only after
 * the successor repaired the partition. The owner epoch ({@link PostgresOwnerEpochs}) rolls them
 * back: nothing of the zombie lands over the successor's work, nothing is logged twice.
 */
class PostgresSegmentFencingTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final String BROWSERS = "count(\"Product Viewed\", duration(\"48h\")) > 0 && count(\"Order Completed\") == 0";

    private final PostgresTestDatabase db = new PostgresTestDatabase();
    private final MutableClock clock = new MutableClock(T0);

    @AfterEach
    void dropSchema() {
        db.close();
    }

    /** One node: its own stores and engines on the shared database. */
    private final class Node {
        final PostgresOwnerEpochs epochs = new PostgresOwnerEpochs(db.get());
        final PostgresProfileStore profileStore = new PostgresProfileStore(db.get());
        final PostgresMembershipStore memberships = new PostgresMembershipStore(db.get(), epochs);
        final PostgresWindowTimerStore timers = new PostgresWindowTimerStore(db.get(), epochs);
        final List<Runnable> heldWrites = new ArrayList<>();
        final SegmentEngine segments;
        final ProfileEngine profiles;
        final SegmentRegistry registry;

        /** @param holdWrites whether the segment writes wait for {@link #releaseWrites} (a stalled writer) */
        Node(boolean holdWrites) {
            MembershipWriter writer = holdWrites
                    ? new MembershipWriter(memberships, timers, heldWrites::add, Integer.MAX_VALUE)
                    : MembershipWriter.inline(memberships, timers);
            segments = new SegmentEngine(profileStore, writer, timers, ProfileScores.none(), clock, 1000);
            profiles = new ProfileEngine(profileStore, clock);
            profiles.addListener(segments);
            registry = new SegmentRegistry(new PostgresSegmentDefinitionStore(db.get()), memberships, segments, profileStore,
                    clock, Runnable::run);
            registry.start();
        }

        void releaseWrites() {
            List<Runnable> writes = List.copyOf(heldWrites);
            heldWrites.clear();
            writes.forEach(Runnable::run);
        }
    }

    private static List<LoggedEvent> batch(long from, String name) {
        return List.of(new LoggedEvent(0, from, Event.track("m" + from, "u1", name, Map.of(), T0)));
    }

    @Test
    void zombiesSegmentWritesLandingAfterItsSuccessorsAreRolledBack() {
        Node zombie = new Node(true);
        zombie.registry.save("browsers", "Browsers", BROWSERS);
        zombie.epochs.claim(List.of(0));
        zombie.profiles.onBatch(0, batch(0, "Product Viewed"));
        zombie.releaseWrites();                             // u1 entered; position 0
        zombie.profiles.onBatch(0, batch(1, "Order Completed"));
        // ... the profile commit of offset 1 is durable, its segment writes (u1 leaves) are not yet:
        // the zombie stalls here, and the group gives partition 0 to the successor
        Node successor = new Node(false);
        successor.epochs.claim(List.of(0));
        PartitionHandover handover = new PartitionHandover(successor.profileStore, successor.memberships, successor.segments, p -> 0);
        handover.onPartitionsAssigned(List.of(0));          // finds the memberships behind offset 1 and repairs them
        String u1 = successor.profileStore.resolve(Identity.userId("u1")).orElseThrow();
        assertThat(handover.repaired()).isEqualTo(1);

        zombie.releaseWrites();                             // the stalled writer wakes up

        assertThat(successor.memberships.changes(u1)).extracting(MembershipChange::entered, MembershipChange::cause)
                .containsExactly(tuple(true, "event:m0"), tuple(false, "handover"));
        assertThat(successor.memberships.appliedThrough()).containsEntry(0, 1L);
        assertThat(successor.memberships.count("browsers")).isZero();
        // the zombie learns it at its next operation
        assertThatThrownBy(() -> zombie.segments.fireDueTimers(10)).isInstanceOf(StaleEpochException.class);
    }

    @Test
    void everySegmentWriteOfAFencedNodeIsRejectedWhole() {
        PostgresOwnerEpochs zombie = new PostgresOwnerEpochs(db.get());
        PostgresOwnerEpochs successor = new PostgresOwnerEpochs(db.get());
        PostgresMembershipStore zombieMemberships = new PostgresMembershipStore(db.get(), zombie);
        PostgresWindowTimerStore zombieTimers = new PostgresWindowTimerStore(db.get(), zombie);
        PostgresMembershipStore memberships = new PostgresMembershipStore(db.get(), successor);
        PostgresWindowTimerStore timers = new PostgresWindowTimerStore(db.get(), successor);
        MembershipChange enter = new MembershipChange("vip", 1, "p1", true, T0, "event:m1");
        MembershipChange exit = new MembershipChange("vip", 1, "p1", false, T0, "event:m2");
        zombie.claim(List.of(0, 1));
        zombieMemberships.apply(List.of(enter), Map.of(0, 5L));
        successor.claim(List.of(1));                         // partition 1 moved; 0 did not

        assertThatThrownBy(() -> zombieMemberships.apply(List.of(exit), Map.of(0, 6L)))
                .isInstanceOfSatisfying(StaleEpochException.class, e -> {
                    assertThat(e.partition()).isEqualTo(1);
                    assertThat(e.held()).isEqualTo(1);
                    assertThat(e.stored()).isEqualTo(2);
                });
        assertThatThrownBy(() -> zombieMemberships.apply(List.of(), Map.of(1, 9L))).isInstanceOf(StaleEpochException.class);
        assertThatThrownBy(() -> zombieTimers.apply(Map.of("p1", Optional.of(T0)), Map.of("p1", 1)))
                .isInstanceOf(StaleEpochException.class);

        assertThat(memberships.changes("p1")).containsExactly(enter);
        assertThat(memberships.appliedThrough()).isEqualTo(Map.of(0, 5L));
        assertThat(timers.scheduled("p1")).isEmpty();
        // the successor writes on; a node that gave a partition up (after flushing) no longer checks it
        timers.apply(Map.of("p1", Optional.of(T0)), Map.of("p1", 1));
        zombie.release(List.of(0, 1));
        zombieMemberships.apply(List.of(), Map.of(2, 1L));
        assertThat(timers.scheduled("p1")).contains(T0);
        assertThat(memberships.appliedThrough()).containsEntry(2, 1L);
    }

    /**
     * The share lock makes a write and a successor's claim take turns: a write that passed its
     * check commits before the claim does (and so before anything the successor writes).
     */
    @Test
    void aClaimWaitsForAWriteInFlightThatPassedItsCheck() throws Exception {
        PostgresOwnerEpochs old = new PostgresOwnerEpochs(db.get());
        PostgresOwnerEpochs next = new PostgresOwnerEpochs(db.get());
        PostgresMembershipStore memberships = new PostgresMembershipStore(db.get());
        old.claim(List.of(0));
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread write = Thread.ofPlatform().start(() -> {
            try {
                db.get().write(c -> {
                    old.check(c);
                    checked.countDown();
                    try {
                        finish.await();
                    } catch (InterruptedException e) {
                        throw new java.sql.SQLException(e);
                    }
                    try (var s = c.prepareStatement("INSERT INTO segment_position(log_partition, applied_through) VALUES (0, 7)")) {
                        s.executeUpdate();
                    }
                    return null;
                });
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        checked.await();
        Thread claim = Thread.ofPlatform().start(() -> next.claim(List.of(0)));
        Awaitility.await().until(() -> blockedOnALock() > 0);
        finish.countDown();
        write.join();
        claim.join();

        assertThat(failed.get()).isNull();
        assertThat(memberships.appliedThrough()).containsEntry(0, 7L);
        assertThat(next.held()).containsEntry(0, 2L);
        assertThatThrownBy(() -> new PostgresMembershipStore(db.get(), old).apply(List.of(), Map.of(0, 8L)))
                .isInstanceOf(StaleEpochException.class);
    }

    private long blockedOnALock() {
        return db.get().read(c -> {
            try (var s = c.createStatement();
                    var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                            + "AND query LIKE 'INSERT INTO partition_owner%'")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
