package io.tessera.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.segment.WindowTimerStore;
import io.tessera.segment.WindowTimerStore.WindowTimer;
import io.tessera.testkit.WindowTimerStoreContract;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostgresWindowTimerStoreTest extends WindowTimerStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected WindowTimerStore open() {
        return new PostgresWindowTimerStore(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }

    @Test
    void aNodeSeesOnlyTheDueTimersOfThePartitionsItOwns() {
        WindowTimerStore timers = open();
        timers.apply(Map.of("p_a", Optional.of(T0), "p_b", Optional.of(T0.plusSeconds(1)), "p_c", Optional.of(T0)),
                Map.of("p_a", 1, "p_b", 2, "p_c", 3));

        assertThat(timers.due(T0.plusSeconds(5), 10, Set.of(1, 2)))
                .containsExactly(new WindowTimer("p_a", T0), new WindowTimer("p_b", T0.plusSeconds(1)));
        assertThat(timers.due(T0.plusSeconds(5), 10, Set.of(4))).isEmpty();
        assertThat(timers.due(T0.plusSeconds(5), 10)).hasSize(3);
    }

    @Test
    void aTimerMovesToThePartitionOfItsLatestSchedule() {
        WindowTimerStore timers = open();
        timers.apply(Map.of("p_a", Optional.of(T0)), Map.of("p_a", 1));
        timers.apply(Map.of("p_a", Optional.of(T0.plusSeconds(1))), Map.of("p_a", 2));

        assertThat(timers.due(T0.plusSeconds(5), 10, Set.of(1))).isEmpty();
        assertThat(timers.due(T0.plusSeconds(5), 10, Set.of(2))).containsExactly(new WindowTimer("p_a", T0.plusSeconds(1)));
    }
}
