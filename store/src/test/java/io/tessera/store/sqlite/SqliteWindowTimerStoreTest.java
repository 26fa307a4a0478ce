package io.tessera.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.segment.WindowTimerStore;
import io.tessera.testkit.WindowTimerStoreContract;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteWindowTimerStoreTest extends WindowTimerStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    Path dir;

    @Override
    protected WindowTimerStore open() {
        return new SqliteWindowTimerStore(dir.resolve("tessera.db"));
    }

    /**
     * The log-first table: every move is appended, superseded rows and cancels are swept lowest
     * sequence first, so the table stays within the live timers plus the slack, and a reopen after
     * any number of sweeps finds exactly each profile's last timer.
     */
    @Test
    void sweptLogKeepsEachProfilesLastTimerAcrossReopen() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random random = new Random(seed);
        Map<String, Instant> expected = new HashMap<>();
        SqliteWindowTimerStore store = new SqliteWindowTimerStore(dir.resolve("tessera.db"));
        for (int batch = 0; batch < 240; batch++) {
            Map<String, Optional<Instant>> updates = new LinkedHashMap<>();
            for (int i = 0; i < 500; i++) {
                String id = "p_" + random.nextInt(2_000);
                Optional<Instant> due = random.nextInt(5) == 0 ? Optional.empty() : Optional.of(T0.plusSeconds(random.nextInt(100_000)));
                updates.put(id, due);
            }
            store.apply(updates);
            updates.forEach((id, due) -> {
                if (due.isPresent()) {
                    expected.put(id, due.get());
                } else {
                    expected.remove(id);
                }
            });
            assertThat(store.rows()).as("rows after batch %d (seed %d)", batch, seed).isLessThanOrEqualTo(2_000 + 50_000 + 500);
        }
        assertThat(store.scheduled(expected.keySet())).as("seed %d", seed).isEqualTo(expected);
        // the due order after ~100,000 moves and cancels (stale heap entries skipped): all of them, and the earliest 100
        List<Instant> order = expected.values().stream().sorted().toList();
        List<WindowTimerStore.WindowTimer> due = store.due(T0.plusSeconds(200_000), 10_000);
        assertThat(due.stream().map(WindowTimerStore.WindowTimer::dueAt).toList()).as("seed %d", seed).isEqualTo(order);
        due.forEach(t -> assertThat(expected.get(t.profileId())).as("seed %d", seed).isEqualTo(t.dueAt()));
        assertThat(store.due(T0.plusSeconds(200_000), 100).stream().map(WindowTimerStore.WindowTimer::dueAt).toList())
                .as("seed %d", seed).isEqualTo(order.subList(0, 100));
        assertThat(store.next()).as("seed %d", seed).contains(order.get(0));
        // abandoned, not closed: what a kill leaves
        SqliteWindowTimerStore reopened = new SqliteWindowTimerStore(dir.resolve("tessera.db"));
        for (int p = 0; p < 2_000; p++) {
            assertThat(reopened.scheduled("p_" + p)).as("p_%d after reopen (seed %d)", p, seed).isEqualTo(Optional.ofNullable(expected.get("p_" + p)));
        }
        assertThat(reopened.due(T0.plusSeconds(200_000), 10_000)).hasSize(expected.size());
        reopened.close();
        store.close();
    }

    /** A database written by the keyed table of earlier versions is folded into the log at open. */
    @Test
    void timersOfTheKeyedTableOfEarlierVersionsAreKept() throws Exception {
        Path db = dir.resolve("old.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement()) {
            s.execute("CREATE TABLE segment_timer (profile_id TEXT PRIMARY KEY, due_at INTEGER NOT NULL)");
            s.execute("INSERT INTO segment_timer VALUES ('p_1', " + T0.getEpochSecond() * 1_000_000L + ")");
        }
        try (SqliteWindowTimerStore store = new SqliteWindowTimerStore(db)) {
            assertThat(store.scheduled("p_1")).contains(T0);
        }
        try (SqliteWindowTimerStore store = new SqliteWindowTimerStore(db)) {
            assertThat(store.scheduled("p_1")).contains(T0);
            assertThat(store.rows()).isEqualTo(1);
        }
    }
}
