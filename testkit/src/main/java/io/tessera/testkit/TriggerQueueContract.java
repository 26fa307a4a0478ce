package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.campaign.TriggerQueue;
import io.tessera.delivery.campaign.TriggerQueue.Entry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TriggerQueue} adapter must do, on its real technology: one entry per (campaign,
 * profile, entry time), the first kept; due entries earliest first; reschedule, remove, the next
 * due time and the pending count per campaign; entries that survive reopening.
 */
public abstract class TriggerQueueContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final List<TriggerQueue> opened = Collections.synchronizedList(new ArrayList<>());

    /** A queue on this test's storage; opening again must see the same entries. */
    protected abstract TriggerQueue open();

    protected final TriggerQueue queue() {
        TriggerQueue q = open();
        opened.add(q);
        return q;
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(TriggerQueue::close);
    }

    private static Entry entry(String campaign, String profile, long enteredSeconds, Duration delay) {
        Instant entered = T0.plusSeconds(enteredSeconds);
        return new Entry(campaign, profile, entered, entered.plus(delay));
    }

    @Test
    void dueEntriesComeEarliestFirstAndAQueuedEntryIsKeptAsItIs() {
        TriggerQueue queue = queue();
        Entry late = entry("welcome", "p_1", 0, Duration.ofHours(2));
        Entry early = entry("welcome", "p_2", 0, Duration.ofMinutes(5));
        Entry other = entry("winback", "p_1", 60, Duration.ofMinutes(1));
        queue.schedule(List.of(late, early, other));
        queue.schedule(List.of(new Entry("welcome", "p_1", late.entered(), late.entered())));
        queue.schedule(List.of());

        TriggerQueue reopened = queue();
        assertThat(reopened.dueBy(T0.plus(Duration.ofHours(3)), 10)).containsExactly(other, early, late);
        assertThat(reopened.dueBy(T0.plus(Duration.ofHours(3)), 1)).containsExactly(other);
        assertThat(reopened.dueBy(T0, 10)).isEmpty();
        assertThat(reopened.next()).contains(other.due());
        assertThat(reopened.pending("welcome")).isEqualTo(2);
        assertThat(reopened.pending("nothing")).isZero();
    }

    @Test
    void rescheduleMovesAnEntryAndRemoveDeletesIt() {
        TriggerQueue queue = queue();
        Entry e = entry("welcome", "p_1", 0, Duration.ofMinutes(5));
        Entry again = entry("welcome", "p_1", 3600, Duration.ofMinutes(5));
        queue.schedule(List.of(e, again));

        queue.reschedule(e, T0.plus(Duration.ofDays(1)));
        assertThat(queue.dueBy(T0.plus(Duration.ofHours(2)), 10)).containsExactly(again);

        queue.remove(again);
        queue.remove(e);
        assertThat(queue.pending("welcome")).isZero();
        assertThat(queue.next()).isEmpty();
    }
}
