package io.tessera.server.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.event.Event;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.Identity;
import io.tessera.profile.ProfileEngine;
import io.tessera.store.postgres.PostgresDatabase;
import io.tessera.store.postgres.PostgresHistoryRetention;
import io.tessera.store.postgres.PostgresProfileStore;
import io.tessera.testkit.MutableClock;
import io.tessera.testkit.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HistoryRetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");

    private static Optional<Duration> retention(Map<String, String> settings) {
        return HistoryRetention.retention(k -> Optional.ofNullable(settings.get(k)));
    }

    @Test
    void isOffUnlessConfigured() {
        assertThat(retention(Map.of())).isEmpty();
        assertThat(retention(Map.of("store.history-retention", "off"))).isEmpty();
        assertThat(retention(Map.of("store.history-retention", "90d"))).contains(Duration.ofDays(90));
        assertThat(retention(Map.of("store.history-retention", "P14D"))).contains(Duration.ofDays(14));
    }

    @Test
    void anUnreadableOrNonPositiveRetentionFailsStartUp() {
        assertThatThrownBy(() -> retention(Map.of("store.history-retention", "ninety days")))
                .hasMessageContaining("store.history-retention").hasMessageContaining("ninety days");
        assertThatThrownBy(() -> retention(Map.of("store.history-retention", "0d"))).hasMessageContaining("positive");
    }

    @Test
    void theEmbeddedStoreKeepsAllHistory() {
        assertThat(HistoryRetention.start(Optional.empty(), k -> k.equals("store.history-retention") ? Optional.of("90d") : Optional.empty(),
                () -> NOW)).isEmpty();
    }

    /** One pass deletes, batch after batch, every row older than the retention; newer rows stay. */
    @Test
    void aPassDeletesEverythingOlderThanTheRetention() {
        try (TestPostgres.Schema pg = TestPostgres.freshSchema();
                PostgresDatabase db = PostgresDatabase.open(new PostgresDatabase.Settings(pg.url(), pg.user(), pg.password(), 2))) {
            PostgresProfileStore store = new PostgresProfileStore(db);
            List<LoggedEvent> batch = new ArrayList<>();
            for (int day = 0; day < 40; day++) {
                batch.add(new LoggedEvent(0, day, Event.track("m" + day, "u1", "Viewed", Map.of(), NOW.minus(Duration.ofDays(day)))));
            }
            new ProfileEngine(store, new MutableClock(NOW)).onBatch(0, batch);
            try (HistoryRetention retention = new HistoryRetention(new PostgresHistoryRetention(db), Duration.ofDays(30), () -> NOW, 3)) {
                assertThat(retention.pass()).isEqualTo(9);       // days 31..39, in batches of 3
                assertThat(retention.pass()).isZero();
            }
            String u1 = store.resolve(Identity.userId("u1")).orElseThrow();
            assertThat(store.history(u1)).hasSize(31);
            assertThat(store.get(u1).orElseThrow().events().get("Viewed").count()).isEqualTo(40);
        }
    }
}
