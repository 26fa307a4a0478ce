package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.segment.WindowTimerStore;
import io.tessera.segment.WindowTimerStore.WindowTimer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WindowTimerStore} adapter must do, on its real technology: at most one timer
 * per profile, due timers in due order, the next due time, and never a timer reported due before
 * its instant (stores may round up, never down).
 */
public abstract class WindowTimerStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final List<WindowTimerStore> opened = Collections.synchronizedList(new ArrayList<>());

    /** A store on this test's storage; opening again must see the same timers. */
    protected abstract WindowTimerStore open();

    protected final WindowTimerStore store() {
        WindowTimerStore s = open();
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(WindowTimerStore::close);
    }

    @Test
    void aProfileHasOneTimerWhichRescheduleReplacesAndCancelRemoves() {
        WindowTimerStore store = store();
        assertThat(store.scheduled("p_1")).isEmpty();

        store.schedule("p_1", T0.plusSeconds(60));
        store.schedule("p_1", T0.plusSeconds(30));
        assertThat(store.scheduled("p_1")).contains(T0.plusSeconds(30));

        store.cancel("p_1");
        store.cancel("p_unknown");
        assertThat(store.scheduled("p_1")).isEmpty();
        assertThat(store.next()).isEmpty();
    }

    @Test
    void dueListsTimersAtOrBeforeNowInDueOrderUpToTheLimit() {
        WindowTimerStore store = store();
        store.schedule("p_late", T0.plusSeconds(120));
        store.schedule("p_b", T0.plusSeconds(20));
        store.schedule("p_a", T0.plusSeconds(10));
        store.schedule("p_now", T0.plusSeconds(60));

        assertThat(store.due(T0.plusSeconds(60), 10)).containsExactly(new WindowTimer("p_a", T0.plusSeconds(10)),
                new WindowTimer("p_b", T0.plusSeconds(20)), new WindowTimer("p_now", T0.plusSeconds(60)));
        assertThat(store.due(T0.plusSeconds(60), 1)).containsExactly(new WindowTimer("p_a", T0.plusSeconds(10)));
        assertThat(store.due(T0, 10)).isEmpty();
        assertThat(store.next()).contains(T0.plusSeconds(10));
    }

    @Test
    void applySchedulesAndCancelsTogether() {
        WindowTimerStore store = store();
        store.schedule("p_1", T0);
        Map<String, Optional<Instant>> updates = new LinkedHashMap<>();
        updates.put("p_1", Optional.empty());
        updates.put("p_2", Optional.of(T0.plusSeconds(5)));
        updates.put("p_3", Optional.of(T0.plusSeconds(7)));

        store.apply(updates);
        store.apply(Map.of());

        assertThat(store.scheduled("p_1")).isEmpty();
        assertThat(store.scheduled("p_2")).contains(T0.plusSeconds(5));
        assertThat(store.due(T0.plusSeconds(10), 10)).extracting(WindowTimer::profileId).containsExactly("p_2", "p_3");
    }

    @Test
    void aTimerIsNeverDueBeforeItsExactInstant() {
        WindowTimerStore store = store();
        Instant dueAt = T0.plusNanos(1);
        store.schedule("p_1", dueAt);

        assertThat(store.due(T0, 10)).isEmpty();
        assertThat(store.scheduled("p_1")).hasValueSatisfying(t -> assertThat(t).isAfterOrEqualTo(dueAt));
        assertThat(store.due(T0.plusSeconds(1), 10)).extracting(WindowTimer::profileId).containsExactly("p_1");
    }

    @Test
    void timersSurviveCloseAndReopen() {
        WindowTimerStore first = open();
        first.schedule("p_1", T0);
        first.close();

        assertThat(store().scheduled("p_1")).contains(T0);
    }
}
