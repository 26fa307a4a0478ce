package io.tessera.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.Identity;
import io.tessera.profile.ProfileEngine;
import io.tessera.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** History retention deletes old history rows in bounded batches and leaves the profiles as they are. */
class PostgresHistoryRetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @AfterEach
    void dropSchema() {
        db.close();
    }

    /** u1 viewed once a day for 10 days up to now, u2 100 days ago only. */
    private PostgresProfileStore storeWithHistory() {
        PostgresProfileStore store = new PostgresProfileStore(db.get());
        ProfileEngine engine = new ProfileEngine(store, new MutableClock(NOW));
        List<LoggedEvent> batch = new ArrayList<>();
        for (int day = 9; day >= 0; day--) {
            batch.add(new LoggedEvent(0, batch.size(), Event.track("u1-" + day, "u1", "Viewed", Map.of(), NOW.minus(Duration.ofDays(day)))));
        }
        batch.add(new LoggedEvent(0, batch.size(), Event.track("u2-old", "u2", "Viewed", Map.of(), NOW.minus(Duration.ofDays(100)))));
        engine.onBatch(0, batch);
        return store;
    }

    @Test
    void deletesHistoryOlderThanTheCutoffInBoundedBatchesAndKeepsTheAggregates() {
        PostgresProfileStore store = storeWithHistory();
        String u1 = store.resolve(Identity.userId("u1")).orElseThrow();
        String u2 = store.resolve(Identity.userId("u2")).orElseThrow();
        PostgresHistoryRetention retention = new PostgresHistoryRetention(db.get());
        Instant cutoff = NOW.minus(Duration.ofDays(5)).minusSeconds(1); // keeps days 0..5

        List<Integer> batches = new ArrayList<>();
        PostgresHistoryRetention.Batch b;
        do {
            b = retention.deleteBatch(cutoff, 2);
            batches.add(b.deleted());
        } while (b.deleted() == 2);

        assertThat(batches).containsExactly(2, 2, 1);  // days 6..9 of u1 and u2's one event, 2 at a time
        assertThat(store.history(u1)).extracting(Event::messageId).containsExactly("u1-5", "u1-4", "u1-3", "u1-2", "u1-1", "u1-0");
        assertThat(store.history(u2)).isEmpty();
        // lifetime aggregates and the profiles themselves stay
        assertThat(store.get(u1).orElseThrow().events().get("Viewed").count()).isEqualTo(10);
        assertThat(store.get(u2).orElseThrow().events().get("Viewed").count()).isEqualTo(1);
        assertThat(store.resolve(Identity.userId("u2"))).contains(u2);
    }

    @Test
    void aNodeSkipsTheRoundWhileAnotherIsDeleting() throws Exception {
        storeWithHistory();
        PostgresHistoryRetention retention = new PostgresHistoryRetention(db.get());
        java.util.concurrent.atomic.AtomicReference<PostgresHistoryRetention.Batch> other = new java.util.concurrent.atomic.AtomicReference<>();
        db.get().write(c -> {
            try (var s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('tessera.history-retention'))")) {
                s.execute(); // another node's batch in progress
            }
            Thread t = Thread.ofPlatform().start(() -> other.set(retention.deleteBatch(NOW.plusSeconds(1), 100)));
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new java.sql.SQLException(e);
            }
            return null;
        });

        assertThat(other.get()).isEqualTo(new PostgresHistoryRetention.Batch(0, true));
        assertThat(retention.deleteBatch(NOW.plusSeconds(1), 100)).isEqualTo(new PostgresHistoryRetention.Batch(11, false));
    }
}
