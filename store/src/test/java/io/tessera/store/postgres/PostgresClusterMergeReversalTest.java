package io.tessera.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.event.Event;
import io.tessera.event.EventLog;
import io.tessera.event.EventType;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.Identity;
import io.tessera.profile.MergeReversal;
import io.tessera.profile.ProfileEngine;
import io.tessera.profile.ProfilePartitions;
import io.tessera.profile.ProfileStore.MergeRecord;
import io.tessera.testkit.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An admin's merge reversal in a cluster is written only by the node that owns the survivor's
 * partition ({@link ProfileEngine#reverseMergeIfOwner}), and that write is checked against the
 * node's owner epoch ({@link PostgresProfileStore#split}): a node that does not own it writes
 * nothing, and a node fenced out without knowing it has its split rolled back.
 */
class PostgresClusterMergeReversalTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final int PARTITIONS = 4;
    private static final String USER = "u1";
    /** An anonymous id in the user's partition, so the merge is made there. */
    private static final String ANON = IntStream.range(0, 100).mapToObj(i -> "a" + i)
            .filter(a -> partitionOf(a) == partitionOf(USER)).findFirst().orElseThrow();
    private static final int HOME = partitionOf(USER);

    private final PostgresTestDatabase db = new PostgresTestDatabase();
    private final MutableClock clock = new MutableClock(T0);
    private long offset;

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
            return PostgresClusterMergeReversalTest.partitionOf(key);
        }

        @Override
        public CompletableFuture<?> send(List<EventLog.KeyedEvent> records) {
            return CompletableFuture.failedFuture(new IllegalStateException("no profile crosses partitions here"));
        }
    };

    /** One node: its epochs, the profile store fenced by them, its engine with the partitions it was assigned. */
    private final class Node {
        final PostgresOwnerEpochs epochs = new PostgresOwnerEpochs(db.get());
        final PostgresProfileStore store = new PostgresProfileStore(db.get(), epochs);
        final ProfileEngine engine = new ProfileEngine(store, clock, ProfileEngine.Options.defaults(), FOUR);

        Node(Integer... partitions) {
            epochs.claim(List.of(partitions));
            engine.onPartitionsAssigned(List.of(partitions));
        }

        void deliver(EventType type, String userId, String anonymousId, String name) {
            Instant at = T0.plusSeconds(offset);
            Event e = new Event("m-" + offset, type, Optional.ofNullable(userId), Optional.ofNullable(anonymousId), name,
                    Map.of(), Map.of(), Map.of(), Map.of(), Optional.empty(), Optional.empty(), at, at, Optional.empty(), "test");
            engine.onBatch(HOME, List.of(new LoggedEvent(HOME, offset++, e)));
        }

        /** Known u1; an anonymous visitor browses, logs in as u1 (the merge), and browses on. */
        MergeRecord visitorMergedIntoKnownUser() {
            deliver(EventType.IDENTIFY, USER, null, "");
            deliver(EventType.TRACK, null, ANON, "Product Viewed");
            deliver(EventType.IDENTIFY, USER, ANON, "");
            deliver(EventType.TRACK, null, ANON, "Added To Cart");
            return store.merges(store.resolve(Identity.userId(USER)).orElseThrow()).getFirst();
        }
    }

    @Test
    void onlyTheSurvivorsOwnerReversesAMergeAndAnyNodeRefusesOneAlreadyReversed() {
        Node owner = new Node(HOME);
        Node other = new Node((HOME + 1) % PARTITIONS);
        MergeRecord merge = owner.visitorMergedIntoKnownUser();

        assertThat(other.engine.reverseMergeIfOwner(merge.into(), merge.id())).isEmpty();
        assertThat(other.store.separations()).isEmpty();
        assertThat(other.store.count()).isEqualTo(1);

        assertThat(owner.engine.reverseMergeIfOwner(merge.into(), merge.id())).get()
                .isInstanceOf(MergeReversal.Outcome.Reversed.class);
        assertThat(owner.store.count()).isEqualTo(2);
        assertThat(owner.store.resolve(Identity.anonymousId(ANON))).contains(merge.from());
        // the owner's engine goes on from the split, not from the survivor it had cached
        owner.deliver(EventType.TRACK, USER, null, "Order Completed");
        assertThat(owner.store.get(merge.into()).orElseThrow().events()).containsOnlyKeys("identify", "Order Completed");
        assertThat(owner.store.get(merge.from()).orElseThrow().events()).containsOnlyKeys("Product Viewed", "Added To Cart");

        assertThat(other.engine.reverseMergeIfOwner(merge.into(), merge.id())).get()
                .isInstanceOfSatisfying(MergeReversal.Outcome.Refused.class, r -> assertThat(r.code()).isEqualTo("conflict"));
        assertThat(other.engine.reverseMergeIfOwner(merge.into(), "m_nope")).get()
                .isInstanceOfSatisfying(MergeReversal.Outcome.Refused.class, r -> assertThat(r.code()).isEqualTo("not_found"));
    }

    @Test
    void aSplitByANodeFencedOutOfThePartitionIsRolledBack() {
        Node zombie = new Node(HOME);
        MergeRecord merge = zombie.visitorMergedIntoKnownUser();
        Node successor = new Node(HOME);                     // the group moved the partition; the zombie does not know

        assertThatThrownBy(() -> zombie.engine.reverseMergeIfOwner(merge.into(), merge.id()))
                .isInstanceOf(StaleEpochException.class);
        assertThat(successor.store.separations()).isEmpty();
        assertThat(successor.store.count()).isEqualTo(1);

        assertThat(successor.engine.reverseMergeIfOwner(merge.into(), merge.id())).get()
                .isInstanceOf(MergeReversal.Outcome.Reversed.class);
        assertThat(successor.store.count()).isEqualTo(2);
    }
}
