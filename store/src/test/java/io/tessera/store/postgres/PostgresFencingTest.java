package io.tessera.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.event.Event;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.FencedCommitException;
import io.tessera.profile.Identity;
import io.tessera.profile.ProfileEngine;
import io.tessera.testkit.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two profile engines on one PostgreSQL database, both believing they own partition 0: the one
 * fenced out of the Kafka group (a "zombie": stalled past the session timeout, so its partition
 * went to a successor) must not commit a late batch over its successor's work.
 */
class PostgresFencingTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @AfterEach
    void dropSchema() {
        db.close();
    }

    private static List<LoggedEvent> views(long from, long to) {
        return LongStream.rangeClosed(from, to)
                .mapToObj(o -> new LoggedEvent(0, o, Event.track("m" + o, "u1", "Viewed", Map.of(), T0.plusSeconds(o))))
                .toList();
    }

    @Test
    void zombiesLateBatchIsRolledBackAndItsSuccessorsWorkStands() {
        PostgresProfileStore store = new PostgresProfileStore(db.get());
        MutableClock clock = new MutableClock(T0);
        ProfileEngine zombie = new ProfileEngine(new PostgresProfileStore(db.get()), clock);
        ProfileEngine successor = new ProfileEngine(new PostgresProfileStore(db.get()), clock);

        zombie.onBatch(0, views(0, 2));          // the rightful owner, then it stalls
        successor.resumeAfter(0);                // the group gives partition 0 to the successor
        successor.onBatch(0, views(3, 5));

        // the zombie wakes up with u1 cached at 3 views and applies the redelivered 3..4 again
        assertThatThrownBy(() -> zombie.onBatch(0, views(3, 4)))
                .isInstanceOfSatisfying(FencedCommitException.class, f -> {
                    assertThat(f.expected()).isEqualTo(2);
                    assertThat(f.stored()).isEqualTo(5);
                });

        String id = store.resolve(Identity.userId("u1")).orElseThrow();
        assertThat(store.get(id).orElseThrow().events().get("Viewed").count()).isEqualTo(6);
        assertThat(store.historyEntries(id)).extracting(h -> h.offset()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(store.resumeAfter(0)).isEqualTo(5);
        // the rejected writer forgot its position: if it keeps the partition it resumes from the store
        assertThat(zombie.resumeAfter(0)).isEqualTo(5);
    }

    @Test
    void ofTwoWritersRacingFromOneOffsetExactlyOneCommits() throws Exception {
        PostgresProfileStore store = new PostgresProfileStore(db.get());
        MutableClock clock = new MutableClock(T0);
        List<ProfileEngine> writers = List.of(new ProfileEngine(new PostgresProfileStore(db.get()), clock),
                new ProfileEngine(new PostgresProfileStore(db.get()), clock));
        writers.forEach(w -> w.resumeAfter(0));
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger fenced = new java.util.concurrent.atomic.AtomicInteger();
        for (ProfileEngine w : writers) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    w.onBatch(0, views(0, 99));
                } catch (FencedCommitException f) {
                    fenced.incrementAndGet();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(fenced.get()).isEqualTo(1);
        String id = store.resolve(Identity.userId("u1")).orElseThrow();
        assertThat(store.get(id).orElseThrow().events().get("Viewed").count()).isEqualTo(100);
        assertThat(store.historyEntries(id)).hasSize(100);
    }
}
