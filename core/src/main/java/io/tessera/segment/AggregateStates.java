package io.tessera.segment;

import io.tessera.event.Event;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The running state of every aggregate one profile has matched, in primitive arrays. All-time
 * aggregates keep a count, an exact sum or the first/last time; windowed ones keep the times (and,
 * for sums, the amounts) of the matching events still inside the window, sorted, so expiry is a
 * drop from the head of the aggregate's run and the next expiry is the head's time plus the
 * window. Sums are exact (the result does not depend on arrival order: late events) and equal the
 * brute-force sum. Not thread-safe: owned by its {@link ProfileWindows}.
 *
 * <p><b>Layout.</b> One <em>slot</em> per aggregate with a state (sparse: an aggregate no event
 * matched has none), in parallel arrays; the windowed slots' events in one array {@link #at},
 * grouped by slot in slot order ({@code [off[k], off[k] + len[k])}), each group sorted by time.
 * An event is two longs: its time in epoch nanoseconds ({@link #nanos}, saturating outside
 * 1677–2262, which keeps every comparison a window makes exact for real timestamps) and, for sums,
 * its amount in billionths ({@link #fixed}: exact for amounts with at most 9 decimals and 9 integer
 * digits; any other amount is kept aside as a {@code BigDecimal}, lazily). So a profile's state is
 * four arrays whatever its aggregates.
 *
 * <p><b>Why primitive arrays.</b> A million profiles' states live in the old generation. An
 * object per state (and per event before that) was a young object referenced from an old one at
 * every event: each young collection copied it and scanned the card that referenced it, which was
 * the tail of the event-to-membership latency (SegmentBench with a GC log, docs/BENCHMARKS.md
 * "Segments, session 7" and "session 8"). Writing a {@code long} into an array that has room
 * creates nothing to copy and dirties no card; the arrays grow by doubling, so an event allocates
 * only now and then.
 */
final class AggregateStates {
    private static final Aggregate[] NO_AGGREGATES = new Aggregate[0];
    private static final long[] NO_LONGS = new long[0];
    private static final int[] NO_INTS = new int[0];
    /** An amount or sum that is not a long of billionths: the BigDecimal kept aside holds it. */
    private static final long BIG = Long.MIN_VALUE;
    /** The scale of {@link #fixed} amounts: billionths. */
    private static final int SCALE = 9;

    // Slots (one per aggregate with a state).
    private Aggregate[] aggregate = NO_AGGREGATES;
    /**
     * Two ints a slot. Windowed: the first event of the slot's group in {@link #ev} and the number
     * of its events. All-time FIRST/LAST: unused and the nanosecond of the second.
     */
    private int[] meta = NO_INTS;
    /** All-time: COUNT the count; FIRST/LAST the epoch second; SUM the sum in billionths, or {@link #BIG}. */
    private long[] value = NO_LONGS;
    /** All-time sums that are {@link #BIG}, by slot (lazily). */
    private BigDecimal[] bigSum;
    private int slots;

    /** Windowed events, two longs each (time, amount), grouped by slot in slot order. */
    private long[] ev = NO_LONGS;
    /** Amounts that are {@link #BIG}, by event (lazily). */
    private BigDecimal[] bigAmount;
    private int events;

    /** An instant as epoch nanoseconds, saturated at the ends of {@code long}. */
    static long nanos(Instant t) {
        long s = t.getEpochSecond();
        if (s >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (s <= Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return s * 1_000_000_000L + t.getNano();
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** An amount in billionths when that is exact and below 10^18 in magnitude, else {@link #BIG}. */
    static long fixed(BigDecimal d) {
        if (d.scale() > SCALE || d.precision() - d.scale() > 18 - SCALE) {
            return BIG;
        }
        return d.setScale(SCALE, java.math.RoundingMode.UNNECESSARY).unscaledValue().longValue();
    }

    /** The first event of slot {@code k}'s group. */
    private int off(int k) {
        return meta[2 * k];
    }

    /** The number of events of slot {@code k}'s group. */
    private int len(int k) {
        return meta[2 * k + 1];
    }

    /** Events at or before this instant (epoch nanos) have left slot {@code k}'s window at {@code now}. */
    private long cutoff(int k, Instant now) {
        return nanos(now.minus(aggregate[k].window().orElseThrow()));
    }

    /** The slot of an aggregate, or -1. */
    private int slot(Aggregate a) {
        // compiled aggregates are canonical (Aggregate.canonical): identity answers first
        for (int k = 0; k < slots; k++) {
            if (aggregate[k] == a) {
                return k;
            }
        }
        int h = a.hashCode();
        for (int k = 0; k < slots; k++) {
            Aggregate s = aggregate[k];
            if (s == a || (s.hashCode() == h && s.equals(a))) {
                return k;
            }
        }
        return -1;
    }

    private int newSlot(Aggregate a) {
        if (slots == aggregate.length) {
            int n = Math.max(4, slots * 2);
            aggregate = Arrays.copyOf(aggregate, n);
            meta = Arrays.copyOf(meta, 2 * n);
            value = Arrays.copyOf(value, n);
            if (bigSum != null) {
                bigSum = Arrays.copyOf(bigSum, n);
            }
        }
        int k = slots++;
        aggregate[k] = a;
        meta[2 * k] = events;
        meta[2 * k + 1] = 0;
        value[k] = 0;
        return k;
    }

    /**
     * Adds an event the caller found to match the aggregate (and, for a windowed one, to be inside
     * the window): see {@link ProfileWindows}.
     */
    void add(Aggregate a, Event e) {
        int k = slot(a);
        boolean first = k < 0;
        if (first) {
            k = newSlot(a);
        }
        Instant t = e.timestamp();
        if (a.windowed()) {
            insert(k, nanos(t), a.kind() == Aggregate.Kind.SUM ? a.amount(e) : null);
            return;
        }
        switch (a.kind()) {
            case COUNT -> value[k]++;
            case SUM -> addToSum(k, a.amount(e));
            case FIRST -> {
                if (first || t.isBefore(Instant.ofEpochSecond(value[k], meta[2 * k + 1]))) {
                    setTime(k, t);
                }
            }
            case LAST -> {
                if (first || t.isAfter(Instant.ofEpochSecond(value[k], meta[2 * k + 1]))) {
                    setTime(k, t);
                }
            }
        }
    }

    private void setTime(int k, Instant t) {
        value[k] = t.getEpochSecond();
        meta[2 * k + 1] = t.getNano();
    }

    private void addToSum(int k, BigDecimal amount) {
        long f = fixed(amount);
        if (value[k] != BIG && f != BIG) {
            long s = value[k] + f;
            // no overflow: the signs of the operands differ, or the sum's sign is theirs
            if (((value[k] ^ s) & (f ^ s)) >= 0 && s != BIG) {
                value[k] = s;
                return;
            }
        }
        BigDecimal sum = (value[k] == BIG ? bigSum[k] : BigDecimal.valueOf(value[k], SCALE)).add(amount);
        if (bigSum == null) {
            bigSum = new BigDecimal[aggregate.length];
        }
        bigSum[k] = sum;
        value[k] = BIG;
    }

    private void insert(int k, long t, BigDecimal amount) {
        if (2 * events == ev.length) {
            int n = Math.max(4, events * 2);
            ev = Arrays.copyOf(ev, 2 * n);
            if (bigAmount != null) {
                bigAmount = Arrays.copyOf(bigAmount, n);
            }
        }
        int from = off(k);
        int i = from + len(k);
        // events mostly arrive in time order: the place is found from the end
        while (i > from && ev[2 * (i - 1)] > t) {
            i--;
        }
        shift(i, events, 1);
        ev[2 * i] = t;
        long f = amount == null ? 0 : fixed(amount);
        ev[2 * i + 1] = f;
        if (f == BIG) {
            if (bigAmount == null) {
                bigAmount = new BigDecimal[ev.length / 2];
            }
            bigAmount[i] = amount;
        }
        events++;
        meta[2 * k + 1]++;
        for (int j = k + 1; j < slots; j++) {
            meta[2 * j]++;
        }
    }

    /** Moves events {@code [from, to)} by {@code by} places (the arrays have the room). */
    private void shift(int from, int to, int by) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        System.arraycopy(ev, 2 * from, ev, 2 * (from + by), 2 * n);
        if (bigAmount != null) {
            System.arraycopy(bigAmount, from, bigAmount, from + by, n);
        }
    }

    /** The value of an aggregate no event has matched. */
    static Object empty(Aggregate a) {
        return switch (a.kind()) {
            case COUNT -> 0L;
            case SUM -> 0.0;
            case FIRST, LAST -> Instant.EPOCH;
        };
    }

    /** The first event of slot {@code k}'s group still inside the window at {@code now}. */
    private int firstInside(int k, Instant now) {
        long cut = cutoff(k, now);
        int i = off(k);
        int end = i + len(k);
        while (i < end && ev[2 * i] <= cut) {
            i++;
        }
        return i;
    }

    /**
     * Drops the events that have left their windows; returns the aggregates whose values that
     * changed (each expiry is reported once: only this method drops events).
     */
    List<Aggregate> expire(Instant now) {
        List<Aggregate> expired = List.of();
        int w = 0;
        for (int k = 0; k < slots; k++) {
            if (!aggregate[k].windowed()) {
                continue;
            }
            int from = off(k);
            int end = from + len(k);
            int i = firstInside(k, now);
            if (i > from) {
                if (expired.isEmpty()) {
                    expired = new ArrayList<>(2);
                }
                expired.add(aggregate[k]);
            }
            if (i != w) {
                shift(i, end, w - i);
            }
            meta[2 * k] = w;
            meta[2 * k + 1] = end - i;
            w += end - i;
        }
        if (bigAmount != null && w < events) {
            Arrays.fill(bigAmount, w, events, null);
        }
        events = w;
        return expired;
    }

    /**
     * The value the condition sees (see {@link SegmentInput#aggregates()}), or null when the
     * aggregate has no state (then its value is {@link #empty}). Does not drop expired events: only
     * {@link #expire} does, so the engine learns of every expiry exactly once.
     */
    Object value(Aggregate a, Instant now) {
        int k = slot(a);
        if (k < 0) {
            return null;
        }
        if (a.windowed()) {
            int i = firstInside(k, now);
            int end = off(k) + len(k);
            return a.kind() == Aggregate.Kind.COUNT ? (Object) (long) (end - i) : windowSum(i, end);
        }
        return switch (a.kind()) {
            case COUNT -> value[k];
            case SUM -> (value[k] == BIG ? bigSum[k] : BigDecimal.valueOf(value[k], SCALE)).doubleValue();
            case FIRST, LAST -> Instant.ofEpochSecond(value[k], meta[2 * k + 1]);
        };
    }

    /** The exact sum of the amounts of events {@code [i, end)}, as the double conditions compare. */
    private double windowSum(int i, int end) {
        long s = 0;
        BigDecimal big = null;
        for (; i < end; i++) {
            long f = ev[2 * i + 1];
            if (big == null && f != BIG) {
                long r = s + f;
                if (((s ^ r) & (f ^ r)) >= 0) {
                    s = r;
                    continue;
                }
            }
            if (big == null) {
                big = BigDecimal.valueOf(s, SCALE);
            }
            big = big.add(f == BIG ? bigAmount[i] : BigDecimal.valueOf(f, SCALE));
        }
        return (big != null ? big : BigDecimal.valueOf(s, SCALE)).doubleValue();
    }

    /** When the oldest event still inside a window at {@code now} leaves it, if any is inside. */
    Optional<Instant> nextExpiry(Instant now) {
        Instant next = null;
        for (int k = 0; k < slots; k++) {
            Aggregate a = aggregate[k];
            if (!a.windowed()) {
                continue;
            }
            int i = firstInside(k, now);
            if (i < off(k) + len(k)) {
                Instant e = instant(ev[2 * i]).plus(a.window().orElseThrow());
                if (next == null || e.isBefore(next)) {
                    next = e;
                }
            }
        }
        return Optional.ofNullable(next);
    }

    /** Windowed events held (inside their windows or not yet dropped): for tests. */
    int events() {
        return events;
    }
}
