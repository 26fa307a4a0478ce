package io.tessera.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.event.Event;
import io.tessera.store.sqlite.SqliteMembershipStore;
import io.tessera.store.sqlite.SqliteSegmentDefinitionStore;
import io.tessera.store.sqlite.SqliteWindowTimerStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write behind the segment engine that fails on a real SQLite error — the database locked by
 * another connection (a backup, the {@code sqlite3} shell) longer than the store's busy timeout —
 * is retried in process until the lock goes: nothing is dropped, nothing is written twice, and the
 * position advances only once the changes and timers are durable.
 */
class MembershipWriterRetryTest {
    private static final Duration BUSY = Duration.ofMillis(50);
    private static final String BROWSER = "count(\"Product Viewed\", duration(\"1h\")) > 0";

    @TempDir
    Path dir;

    @Test
    void writesFailingOnALockedDatabaseAreRetriedUntilItIsFreeAndNothingIsLost() throws Exception {
        Path db = dir.resolve("tessera.db");
        SteppingClock clock = new SteppingClock(Instant.parse("2026-11-01T10:00:00Z"));
        HistoryProfiles profiles = new HistoryProfiles();
        ExecutorService writerThread = Executors.newSingleThreadExecutor();
        List<MembershipChange> delivered = new ArrayList<>();
        try (SqliteMembershipStore memberships = new SqliteMembershipStore(db, Duration.ZERO, BUSY);
             SqliteWindowTimerStore timers = new SqliteWindowTimerStore(db, BUSY);
             SqliteSegmentDefinitionStore definitions = new SqliteSegmentDefinitionStore(db)) {
            MembershipWriter writer = new MembershipWriter(memberships, timers, writerThread, 100_000,
                    new MembershipWriter.Retry(Integer.MAX_VALUE, Duration.ofMillis(5), Duration.ofMillis(20)));
            SegmentEngine engine = new SegmentEngine(profiles, writer, timers, ProfileScores.none(), clock, 100);
            engine.addListener(changes -> {
                synchronized (delivered) {
                    delivered.addAll(changes);
                }
            });
            SegmentRegistry registry = new SegmentRegistry(definitions, memberships, engine, profiles, clock, Runnable::run);
            registry.start();
            assertThat(registry.save("browsers", "Browsers", BROWSER)).isInstanceOf(SaveVerdict.Saved.class);

            long lastOffset;
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                 Statement lock = other.createStatement()) {
                lock.execute("BEGIN IMMEDIATE");
                lastOffset = send(engine, profiles, clock.instant(), "u1", "u2", "u3");

                await().atMost(Duration.ofSeconds(30)).until(() -> writer.retries() >= 3);
                assertThat(memberships.appliedThrough()).as("no position while the changes are not durable").isEmpty();
                assertThat(writer.lastFailure()).hasValueSatisfying(e -> assertThat(e).hasMessageContaining("SQLite"));
                lock.execute("ROLLBACK");
            }
            engine.awaitWritten();

            assertThat(delivered).extracting(MembershipChange::profileId).containsExactlyInAnyOrder("p_u1", "p_u2", "p_u3");
            for (String id : List.of("p_u1", "p_u2", "p_u3")) {
                assertThat(memberships.memberships(id)).containsOnlyKeys("browsers");
                assertThat(memberships.changes(id)).as("logged once").hasSize(1);
                assertThat(timers.scheduled(id)).isPresent();
            }
            assertThat(memberships.appliedThrough()).isEqualTo(Map.of(0, lastOffset));
        } finally {
            writerThread.shutdown();
        }
        // And durable: a restart reads the same.
        try (SqliteMembershipStore memberships = new SqliteMembershipStore(db);
             SqliteWindowTimerStore timers = new SqliteWindowTimerStore(db)) {
            assertThat(memberships.count("browsers")).isEqualTo(3);
            assertThat(timers.scheduled(List.of("p_u1", "p_u2", "p_u3"))).hasSize(3);
        }
    }

    /**
     * The listeners hear of a group's changes as soon as those are durable: a timer write that keeps
     * failing (its database locked by another connection) holds back the positions, not the delivery.
     */
    @Test
    void listenersHearOfDurableChangesWhileTheTimersAreStillRetried() throws Exception {
        Path timerDb = dir.resolve("timers.db");
        ExecutorService writerThread = Executors.newSingleThreadExecutor();
        List<MembershipChange> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
        Instant at = Instant.parse("2026-11-01T10:00:00Z");
        MembershipChange entered = new MembershipChange("browsers", 1, "p_u1", true, at, "event:m-1");
        try (SqliteMembershipStore memberships = new SqliteMembershipStore(dir.resolve("members.db"), Duration.ZERO, BUSY);
             SqliteWindowTimerStore timers = new SqliteWindowTimerStore(timerDb, BUSY);
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + timerDb.toAbsolutePath());
             Statement lock = other.createStatement()) {
            MembershipWriter writer = new MembershipWriter(memberships, timers, writerThread, 100_000,
                    new MembershipWriter.Retry(Integer.MAX_VALUE, Duration.ofMillis(5), Duration.ofMillis(20)));
            writer.addListener(delivered::addAll);
            lock.execute("BEGIN IMMEDIATE");
            writer.submit(new MembershipWriter.Writes(List.of(entered), Map.of("p_u1", java.util.Optional.of(at.plusSeconds(3600))),
                    Map.of(), Map.of(0, 7L)));

            await().atMost(Duration.ofSeconds(30)).until(() -> writer.retries() >= 2);
            assertThat(delivered).as("delivered while the timer write is retried").containsExactly(entered);
            assertThat(memberships.memberships("p_u1")).containsOnlyKeys("browsers");
            assertThat(timers.scheduled("p_u1")).isEmpty();
            assertThat(memberships.appliedThrough()).as("no position before the timers are durable").isEmpty();
            lock.execute("ROLLBACK");
            writer.awaitWritten();

            assertThat(timers.scheduled("p_u1")).contains(at.plusSeconds(3600));
            assertThat(memberships.appliedThrough()).isEqualTo(Map.of(0, 7L));
            assertThat(delivered).as("once").containsExactly(entered);
        } finally {
            writerThread.shutdown();
        }
    }

    private static long send(SegmentEngine engine, HistoryProfiles profiles, Instant now, String... users) {
        List<Event> batch = new ArrayList<>();
        for (String u : users) {
            batch.add(Event.track("m-" + u, u, "Product Viewed", Map.of(), now));
        }
        long last = -1;
        for (HistoryProfiles.Change c : profiles.applyBatch(batch)) {
            engine.onProfileChange(c.before(), c.after(), c.cause(), List.of());
            last = c.cause().offset();
        }
        engine.onBatchCommitted(0, last);
        return last;
    }
}
