package io.tessera.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The primitive window of {@link AggregateState} against the definition it stands for: at any
 * instant, a windowed count or sum is over the added events whose time is after now minus the
 * window, whatever order they arrived in and however often the head was dropped.
 */
class AggregateStateTest {
    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00.123456789Z");
    private static final Duration WINDOW = Duration.ofSeconds(30);

    private static Event viewed(Instant at, String revenue) {
        return Event.track("m-" + at + "-" + revenue, "u1", "Product Viewed", Map.of("revenue", new BigDecimal(revenue)), at);
    }

    @Test
    void windowedSumAndCountEqualTheDefinitionUnderLateEventsAndExpiry() {
        Aggregate count = Aggregate.count("Product Viewed", Optional.of(WINDOW), Map.of());
        Aggregate sum = new Aggregate(Aggregate.Kind.SUM, "Product Viewed", "revenue", Optional.of(WINDOW), Map.of());
        for (long seed = 1; seed <= 40; seed++) {
            Random r = new Random(seed);
            AggregateState c = new AggregateState(count);
            AggregateState s = new AggregateState(sum);
            List<Event> added = new ArrayList<>();
            Instant now = T0;
            for (int step = 0; step < 200; step++) {
                now = now.plusMillis(r.nextInt(900));
                // late events: up to 40 s old, some already outside the window (the caller skips those)
                Instant at = now.minusMillis(r.nextInt(40_000)).plusNanos(r.nextInt(1000));
                Event e = viewed(at, r.nextInt(100) + "." + r.nextInt(100));
                if (count.inside(at, now)) {
                    c.add(e);
                    s.add(e);
                    added.add(e);
                }
                if (r.nextInt(4) == 0) {
                    c.expire(now);
                    s.expire(now);
                }
                Instant at0 = now;
                List<Event> inside = added.stream().filter(x -> count.inside(x.timestamp(), at0)).toList();
                assertThat(c.value(now)).as("seed %d step %d", seed, step).isEqualTo((long) inside.size());
                BigDecimal want = inside.stream().map(sum::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
                assertThat(s.value(now)).as("seed %d step %d", seed, step).isEqualTo(want.doubleValue());
                Optional<Instant> oldest = inside.stream().map(Event::timestamp).min(Instant::compareTo);
                assertThat(c.nextExpiry(now)).as("seed %d step %d", seed, step).isEqualTo(oldest.map(o -> o.plus(WINDOW)));
                if (inside.isEmpty()) {
                    c.expire(now);
                    assertThat(c.isEmpty()).as("seed %d step %d", seed, step).isTrue();
                }
            }
        }
    }

    @Test
    void expireReportsEachDropOnceAndEmptiesTheWindow() {
        Aggregate count = Aggregate.count("Product Viewed", Optional.of(WINDOW), Map.of());
        AggregateState c = new AggregateState(count);
        c.add(viewed(T0, "1"));
        c.add(viewed(T0.plusSeconds(10), "1"));
        assertThat(c.expire(T0.plusSeconds(29))).isFalse();
        assertThat(c.expire(T0.plusSeconds(30))).isTrue();
        assertThat(c.expire(T0.plusSeconds(30))).isFalse();
        assertThat(c.value(T0.plusSeconds(30))).isEqualTo(1L);
        assertThat(c.nextExpiry(T0.plusSeconds(30))).contains(T0.plusSeconds(40));
        assertThat(c.expire(T0.plusSeconds(40))).isTrue();
        assertThat(c.isEmpty()).isTrue();
        assertThat(c.nextExpiry(T0.plusSeconds(40))).isEmpty();
    }

    @Test
    void timesBeyondTheNanosecondRangeSaturateAndKeepTheirOrder() {
        assertThat(AggregateState.nanos(Instant.parse("2500-01-01T00:00:00Z"))).isEqualTo(Long.MAX_VALUE);
        assertThat(AggregateState.nanos(Instant.parse("1500-01-01T00:00:00Z"))).isEqualTo(Long.MIN_VALUE);
        assertThat(AggregateState.nanos(T0)).isEqualTo(T0.getEpochSecond() * 1_000_000_000L + T0.getNano());
        assertThat(AggregateState.nanos(Instant.parse("2262-01-01T00:00:00Z")))
                .isLessThan(AggregateState.nanos(Instant.parse("2500-01-01T00:00:00Z")));
    }
}
