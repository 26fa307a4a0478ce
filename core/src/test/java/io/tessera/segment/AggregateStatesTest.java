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
 * The primitive states of {@link AggregateStates} against the definitions they stand for: at any
 * instant, a windowed count or sum is over the added events whose time is after now minus the
 * window, whatever order they arrived in and however often the heads were dropped, with several
 * windows of different lengths sharing one profile's arrays; all-time counts, sums and first/last
 * times are exact.
 */
class AggregateStatesTest {
    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00.123456789Z");
    private static final Duration WINDOW = Duration.ofSeconds(30);

    private static Event viewed(Instant at, String revenue) {
        return Event.track("m-" + at + "-" + revenue, "u1", "Product Viewed", Map.of("revenue", new BigDecimal(revenue)), at);
    }

    /** The value a condition reads: a state's, or the empty value when the aggregate has none. */
    private static Object value(AggregateStates states, Aggregate a, Instant now) {
        Object v = states.value(a, now);
        return v == null ? AggregateStates.empty(a) : v;
    }

    @Test
    void windowedSumAndCountEqualTheDefinitionUnderLateEventsAndExpiry() {
        Aggregate count = Aggregate.count("Product Viewed", Optional.of(WINDOW), Map.of());
        Aggregate sum = new Aggregate(Aggregate.Kind.SUM, "Product Viewed", "revenue", Optional.of(WINDOW), Map.of());
        for (long seed = 1; seed <= 40; seed++) {
            Random r = new Random(seed);
            AggregateStates c = new AggregateStates();
            AggregateStates s = new AggregateStates();
            List<Event> added = new ArrayList<>();
            Instant now = T0;
            for (int step = 0; step < 200; step++) {
                now = now.plusMillis(r.nextInt(900));
                // late events: up to 40 s old, some already outside the window (the caller skips those)
                Instant at = now.minusMillis(r.nextInt(40_000)).plusNanos(r.nextInt(1000));
                Event e = viewed(at, r.nextInt(100) + "." + r.nextInt(100));
                if (count.inside(at, now)) {
                    c.add(count, e);
                    s.add(sum, e);
                    added.add(e);
                }
                if (r.nextInt(4) == 0) {
                    c.expire(now);
                    s.expire(now);
                }
                Instant at0 = now;
                List<Event> inside = added.stream().filter(x -> count.inside(x.timestamp(), at0)).toList();
                assertThat(value(c, count, now)).as("seed %d step %d", seed, step).isEqualTo((long) inside.size());
                BigDecimal want = inside.stream().map(sum::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
                assertThat(value(s, sum, now)).as("seed %d step %d", seed, step).isEqualTo(want.doubleValue());
                Optional<Instant> oldest = inside.stream().map(Event::timestamp).min(Instant::compareTo);
                assertThat(c.nextExpiry(now)).as("seed %d step %d", seed, step).isEqualTo(oldest.map(o -> o.plus(WINDOW)));
                if (inside.isEmpty()) {
                    c.expire(now);
                    assertThat(c.events()).as("seed %d step %d", seed, step).isZero();
                }
            }
        }
    }

    @Test
    void manyAggregatesShareOneProfilesArraysAndEqualTheBruteForceValues() {
        List<Aggregate> aggregates = List.of(
                Aggregate.count("Product Viewed", Optional.of(Duration.ofSeconds(10)), Map.of()),
                Aggregate.count("Product Viewed", Optional.of(WINDOW), Map.of()),
                new Aggregate(Aggregate.Kind.SUM, "Product Viewed", "revenue", Optional.of(Duration.ofSeconds(20)), Map.of()),
                Aggregate.count("Product Viewed", Optional.empty(), Map.of()),
                new Aggregate(Aggregate.Kind.SUM, "Product Viewed", "revenue", Optional.empty(), Map.of()),
                new Aggregate(Aggregate.Kind.FIRST, "Product Viewed", "", Optional.empty(), Map.of()),
                new Aggregate(Aggregate.Kind.LAST, "Product Viewed", "", Optional.empty(), Map.of()));
        // amounts too large for a long's unscaled value, negative scales and plain ones
        String[] amounts = {"1.5", "20", "0.001", "123456789012345678901234.5", "1E+30", "-7.25", "99999999999999999.99"};
        for (long seed = 1; seed <= 30; seed++) {
            Random r = new Random(seed);
            AggregateStates states = new AggregateStates();
            List<Event> history = new ArrayList<>();
            Instant now = T0;
            for (int step = 0; step < 150; step++) {
                now = now.plusMillis(r.nextInt(700));
                Instant at = now.minusMillis(r.nextInt(35_000)).plusNanos(r.nextInt(1000));
                Event e = viewed(at, amounts[r.nextInt(amounts.length)]);
                history.add(e);
                for (Aggregate a : aggregates) {
                    if (!a.windowed() || a.inside(at, now)) {
                        states.add(a, e);
                    }
                }
                if (r.nextInt(3) == 0) {
                    states.expire(now);
                }
                for (Aggregate a : aggregates) {
                    assertThat(value(states, a, now)).as("seed %d step %d %s", seed, step, a.describe())
                            .isEqualTo(HistoryEvaluator.aggregate(a, history, now));
                }
            }
        }
    }

    /**
     * Profiles' states sharing one {@link StateArena}, moved in and out of it at random, growing and
     * shrinking: each keeps its own values (no block is shared or read after it was given back), and
     * when all have left, the arena has every block back.
     */
    @Test
    void statesSharingAnArenaKeepTheirOwnValues() {
        List<Aggregate> aggregates = List.of(
                Aggregate.count("Product Viewed", Optional.of(Duration.ofSeconds(10)), Map.of()),
                new Aggregate(Aggregate.Kind.SUM, "Product Viewed", "revenue", Optional.of(WINDOW), Map.of()),
                Aggregate.count("Product Viewed", Optional.empty(), Map.of()),
                new Aggregate(Aggregate.Kind.SUM, "Product Viewed", "revenue", Optional.empty(), Map.of()),
                new Aggregate(Aggregate.Kind.LAST, "Product Viewed", "", Optional.empty(), Map.of()));
        String[] amounts = {"1.5", "20", "123456789012345678901234.5", "-7.25"};
        for (long seed = 1; seed <= 10; seed++) {
            Random r = new Random(seed);
            StateArena arena = new StateArena();
            int profiles = 12;
            AggregateStates[] states = new AggregateStates[profiles];
            List<List<Event>> histories = new ArrayList<>();
            for (int p = 0; p < profiles; p++) {
                states[p] = new AggregateStates();
                histories.add(new ArrayList<>());
            }
            Instant now = T0;
            for (int step = 0; step < 600; step++) {
                now = now.plusMillis(r.nextInt(300));
                int p = r.nextInt(profiles);
                // some profiles take many events at once: blocks of several size classes
                for (int n = r.nextInt(8) == 0 ? 40 : 1; n > 0; n--) {
                    Instant at = now.minusMillis(r.nextInt(35_000));
                    Event e = viewed(at, amounts[r.nextInt(amounts.length)]);
                    histories.get(p).add(e);
                    for (Aggregate a : aggregates) {
                        if (!a.windowed() || a.inside(at, now)) {
                            states[p].add(a, e);
                        }
                    }
                }
                switch (r.nextInt(6)) {
                    case 0 -> states[r.nextInt(profiles)].moveTo(arena);
                    case 1 -> states[r.nextInt(profiles)].leaveArena();
                    case 2 -> states[r.nextInt(profiles)].expire(now);
                    default -> { }
                }
                for (int q = 0; q < profiles; q++) {
                    for (Aggregate a : aggregates) {
                        assertThat(value(states[q], a, now)).as("seed %d step %d profile %d %s", seed, step, q, a.describe())
                                .isEqualTo(HistoryEvaluator.aggregate(a, histories.get(q), now));
                    }
                }
            }
            for (AggregateStates s : states) {
                s.leaveArena();
            }
            assertThat(arena.blocksInUse()).as("seed %d", seed).isZero();
        }
    }

    @Test
    void arenaBlocksDoNotOverlapAndAreRecycled() {
        StateArena arena = new StateArena();
        Random r = new Random(3);
        List<int[]> live = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            if (!live.isEmpty() && r.nextInt(3) == 0) {
                int[] b = live.remove(r.nextInt(live.size()));
                long[] page = arena.page(b[0]);
                for (int i = 0; i < 1 << b[1]; i++) {
                    assertThat(page[StateArena.offset(b[0]) + i]).as("block %d", b[0]).isEqualTo(b[0] * 31L + i);
                }
                arena.release(b[0], b[1]);
            } else {
                // mostly small blocks, now and then one of 64k longs (pages fill and roll over)
                int c = r.nextInt(50) == 0 ? 16 : StateArena.MIN_CLASS + r.nextInt(6);
                int h = arena.allocate(c);
                long[] page = arena.page(h);
                for (int i = 0; i < 1 << c; i++) {
                    page[StateArena.offset(h) + i] = h * 31L + i;
                }
                live.add(new int[] {h, c});
            }
        }
        assertThat(arena.blocksInUse()).isEqualTo(live.size());
        assertThat(arena.allocate(StateArena.PAGE_BITS + 1)).isEqualTo(-1);
        assertThat(arena.allocate(StateArena.PAGE_BITS)).as("a whole page: more than a page holds").isEqualTo(-1);
        int half = arena.allocate(StateArena.PAGE_BITS - 1);
        assertThat(StateArena.offset(half) + (1 << (StateArena.PAGE_BITS - 1))).as("half a page fits in one")
                .isLessThanOrEqualTo(arena.page(half).length);
        assertThat(arena.page(half).length).as("a page with its header fills whole 8 MB G1 regions").isEqualTo(StateArena.PAGE_LONGS);
        assertThat(StateArena.sizeClass(1)).isEqualTo(StateArena.MIN_CLASS);
        assertThat(StateArena.sizeClass(9)).isEqualTo(4);
        assertThat(StateArena.sizeClass(16)).isEqualTo(4);
    }

    @Test
    void expireReportsEachDropOnceAndEmptiesTheWindow() {
        Aggregate count = Aggregate.count("Product Viewed", Optional.of(WINDOW), Map.of());
        AggregateStates c = new AggregateStates();
        c.add(count, viewed(T0, "1"));
        c.add(count, viewed(T0.plusSeconds(10), "1"));
        assertThat(c.expire(T0.plusSeconds(29))).isEmpty();
        assertThat(c.expire(T0.plusSeconds(30))).containsExactly(count);
        assertThat(c.expire(T0.plusSeconds(30))).isEmpty();
        assertThat(c.value(count, T0.plusSeconds(30))).isEqualTo(1L);
        assertThat(c.nextExpiry(T0.plusSeconds(30))).contains(T0.plusSeconds(40));
        assertThat(c.expire(T0.plusSeconds(40))).containsExactly(count);
        assertThat(c.events()).isZero();
        assertThat(c.nextExpiry(T0.plusSeconds(40))).isEmpty();
    }

    @Test
    void timesBeyondTheNanosecondRangeSaturateAndKeepTheirOrder() {
        assertThat(AggregateStates.nanos(Instant.parse("2500-01-01T00:00:00Z"))).isEqualTo(Long.MAX_VALUE);
        assertThat(AggregateStates.nanos(Instant.parse("1500-01-01T00:00:00Z"))).isEqualTo(Long.MIN_VALUE);
        assertThat(AggregateStates.nanos(T0)).isEqualTo(T0.getEpochSecond() * 1_000_000_000L + T0.getNano());
        assertThat(AggregateStates.nanos(Instant.parse("2262-01-01T00:00:00Z")))
                .isLessThan(AggregateStates.nanos(Instant.parse("2500-01-01T00:00:00Z")));
    }
}
