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
 * matched has none) and the windowed slots' events, in one block of longs: first the slots, two
 * longs each, then the events, two longs each, grouped by slot in slot order, each group sorted by
 * time. A slot's first long holds its aggregate's number ({@link #AGGREGATES}), whether it is
 * windowed, and an int: a windowed slot's number of events, an all-time FIRST/LAST's nanosecond;
 * its second long a windowed slot's first event, an all-time slot's value (COUNT the count;
 * FIRST/LAST the epoch second; SUM the sum in billionths, or {@link #BIG}). An event is its time
 * in epoch nanoseconds ({@link #nanos}, saturating outside 1677–2262, which keeps every comparison
 * a window makes exact for real timestamps) and, for sums, its amount in billionths ({@link #fixed}:
 * exact for amounts with at most 9 decimals and 9 integer digits; any other amount is kept aside as
 * a {@code BigDecimal}, lazily).
 *
 * <p><b>Where the block lives.</b> A state being built (a backfill page, a timer page) has a plain
 * array; a cached state's block is in the engine's {@link StateArena} ({@link #moveTo}), so growing
 * it at an event takes a recycled block, not a new array the next young collection would copy,
 * and writes no reference into an old object. A million profiles' states live in the old
 * generation; what an event creates there is what each young collection pays for, and that was
 * the tail of the event-to-membership latency (SegmentBench with a GC log, docs/BENCHMARKS.md
 * "Segments, session 7", "session 8" and "session 9").
 */
final class AggregateStates {
    private static final long[] NO_LONGS = new long[0];
    /** An amount or sum that is not a long of billionths: the BigDecimal kept aside holds it. */
    private static final long BIG = Long.MIN_VALUE;
    /** The scale of {@link #fixed} amounts: billionths. */
    private static final int SCALE = 9;
    private static final long LOW = 0xFFFF_FFFFL;
    /** Every aggregate seen, numbered: a slot names its aggregate by number (equal aggregates share one). */
    private static final Numbering<Aggregate> AGGREGATES = new Numbering<>();

    /** The block: {@code mem[base, base + 2^sizeClass)}; an arena page when {@link #handle} is not -1. */
    private long[] mem = NO_LONGS;
    private int base;
    private int sizeClass = -1;
    /** The arena growth takes blocks from (null: plain arrays), and the block's handle in it (-1: a plain array). */
    private StateArena arena;
    private int handle = -1;

    private int slots;
    private int slotCap;
    private int events;
    private int evCap;
    /** All-time sums that are {@link #BIG}, by slot (lazily). */
    private BigDecimal[] bigSum;
    /** Amounts that are {@link #BIG}, by event (lazily). */
    private BigDecimal[] bigAmount;

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

    // ---- the block ----

    /** Index in {@link #mem} of slot {@code k}'s first long (its second follows). */
    private int slotAt(int k) {
        return base + 2 * k;
    }

    /** Index in {@link #mem} of event {@code i}'s time (its amount follows). */
    private int eventAt(int i) {
        return base + 2 * (slotCap + i);
    }

    private Aggregate aggregate(int k) {
        return AGGREGATES.get((int) (mem[slotAt(k)] >>> 33));
    }

    private boolean windowed(int k) {
        return (mem[slotAt(k)] & (1L << 32)) != 0;
    }

    /** The int in slot {@code k}'s first long: a windowed slot's event count, a FIRST/LAST's nanosecond. */
    private int low(int k) {
        return (int) mem[slotAt(k)];
    }

    private void setLow(int k, int v) {
        int at = slotAt(k);
        mem[at] = (mem[at] & ~LOW) | (v & LOW);
    }

    /** Slot {@code k}'s second long: a windowed slot's first event, an all-time slot's value. */
    private long high(int k) {
        return mem[slotAt(k) + 1];
    }

    private void setHigh(int k, long v) {
        mem[slotAt(k) + 1] = v;
    }

    /** The first event of windowed slot {@code k}'s group. */
    private int off(int k) {
        return (int) high(k);
    }

    /** The number of events of windowed slot {@code k}'s group. */
    private int len(int k) {
        return low(k);
    }

    /**
     * Moves the state into a block of {@code arena}, where it stays and grows from then on (see
     * {@link StateArena}); {@link #leaveArena} before the state is dropped. Under the engine's lock.
     */
    void moveTo(StateArena arena) {
        if (this.arena != null) {
            return;
        }
        this.arena = arena;
        if (slotCap + evCap > 0) {
            resize(slotCap, evCap);
        }
    }

    /** Gives the arena its block back, keeping the state in a plain array (it may still be read). */
    void leaveArena() {
        StateArena a = arena;
        arena = null;
        if (handle >= 0) {
            int h = handle;
            int c = sizeClass;
            handle = -1;
            // copies out of the arena's block (mem and base still point at it), then frees it
            resize(slotCap, evCap);
            a.release(h, c);
        }
    }

    /** A new block with room for {@code slotCapacity} slots and at least {@code eventCapacity} events, holding the state. */
    private void resize(int slotCapacity, int eventCapacity) {
        int c = StateArena.sizeClass(2 * (slotCapacity + eventCapacity));
        int h = arena == null ? -1 : arena.allocate(c);
        long[] to = h >= 0 ? arena.page(h) : new long[1 << c];
        int at = h >= 0 ? StateArena.offset(h) : 0;
        int newEvCap = (1 << c) / 2 - slotCapacity;
        System.arraycopy(mem, base, to, at, 2 * slots);
        System.arraycopy(mem, eventAt(0), to, at + 2 * slotCapacity, 2 * events);
        if (handle >= 0) {
            arena.release(handle, sizeClass);
        }
        mem = to;
        base = at;
        handle = h;
        sizeClass = c;
        slotCap = slotCapacity;
        evCap = newEvCap;
        if (bigSum != null && bigSum.length < slotCap) {
            bigSum = Arrays.copyOf(bigSum, slotCap);
        }
        if (bigAmount != null && bigAmount.length < evCap) {
            bigAmount = Arrays.copyOf(bigAmount, evCap);
        }
    }

    // ---- slots and events ----

    /** Events at or before this instant (epoch nanos) have left slot {@code k}'s window at {@code now}. */
    private long cutoff(int k, Instant now) {
        return nanos(now.minus(aggregate(k).window().orElseThrow()));
    }

    /** The slot of an aggregate, or -1 (a read numbers nothing: an aggregate without a number has no slot). */
    private int slot(Aggregate a) {
        long id = AGGREGATES.find(a);
        for (int k = 0; id >= 0 && k < slots; k++) {
            if (mem[slotAt(k)] >>> 33 == id) {
                return k;
            }
        }
        return -1;
    }

    private int newSlot(Aggregate a) {
        if (slots == slotCap) {
            resize(Math.max(4, slotCap * 2), evCap);
        }
        int k = slots++;
        long id = AGGREGATES.of(a);
        mem[slotAt(k)] = id << 33 | (a.windowed() ? 1L << 32 : 0);
        setHigh(k, a.windowed() ? events : 0);
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
            case COUNT -> setHigh(k, high(k) + 1);
            case SUM -> addToSum(k, a.amount(e));
            case FIRST -> {
                if (first || t.isBefore(Instant.ofEpochSecond(high(k), low(k)))) {
                    setTime(k, t);
                }
            }
            case LAST -> {
                if (first || t.isAfter(Instant.ofEpochSecond(high(k), low(k)))) {
                    setTime(k, t);
                }
            }
        }
    }

    private void setTime(int k, Instant t) {
        setHigh(k, t.getEpochSecond());
        setLow(k, t.getNano());
    }

    private void addToSum(int k, BigDecimal amount) {
        long f = fixed(amount);
        long v = high(k);
        if (v != BIG && f != BIG) {
            long s = v + f;
            // no overflow: the signs of the operands differ, or the sum's sign is theirs
            if (((v ^ s) & (f ^ s)) >= 0 && s != BIG) {
                setHigh(k, s);
                return;
            }
        }
        BigDecimal sum = (v == BIG ? bigSum[k] : BigDecimal.valueOf(v, SCALE)).add(amount);
        if (bigSum == null) {
            bigSum = new BigDecimal[slotCap];
        }
        bigSum[k] = sum;
        setHigh(k, BIG);
    }

    private void insert(int k, long t, BigDecimal amount) {
        if (events == evCap) {
            resize(slotCap, Math.max(4, evCap * 2));
        }
        int from = off(k);
        int i = from + len(k);
        // events mostly arrive in time order: the place is found from the end
        while (i > from && mem[eventAt(i - 1)] > t) {
            i--;
        }
        shift(i, events, 1);
        mem[eventAt(i)] = t;
        long f = amount == null ? 0 : fixed(amount);
        mem[eventAt(i) + 1] = f;
        if (f == BIG) {
            if (bigAmount == null) {
                bigAmount = new BigDecimal[evCap];
            }
            bigAmount[i] = amount;
        }
        events++;
        setLow(k, len(k) + 1);
        for (int j = k + 1; j < slots; j++) {
            if (windowed(j)) {
                setHigh(j, high(j) + 1);
            }
        }
    }

    /** Moves events {@code [from, to)} by {@code by} places (the block has the room). */
    private void shift(int from, int to, int by) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        System.arraycopy(mem, eventAt(from), mem, eventAt(from + by), 2 * n);
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
        while (i < end && mem[eventAt(i)] <= cut) {
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
            if (!windowed(k)) {
                continue;
            }
            int from = off(k);
            int end = from + len(k);
            int i = firstInside(k, now);
            if (i > from) {
                if (expired.isEmpty()) {
                    expired = new ArrayList<>(2);
                }
                expired.add(aggregate(k));
            }
            if (i != w) {
                shift(i, end, w - i);
            }
            setHigh(k, w);
            setLow(k, end - i);
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
            case COUNT -> high(k);
            case SUM -> (high(k) == BIG ? bigSum[k] : BigDecimal.valueOf(high(k), SCALE)).doubleValue();
            case FIRST, LAST -> Instant.ofEpochSecond(high(k), low(k));
        };
    }

    /** The exact sum of the amounts of events {@code [i, end)}, as the double conditions compare. */
    private double windowSum(int i, int end) {
        long s = 0;
        BigDecimal big = null;
        for (; i < end; i++) {
            long f = mem[eventAt(i) + 1];
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
            if (!windowed(k)) {
                continue;
            }
            int i = firstInside(k, now);
            if (i < off(k) + len(k)) {
                Instant e = instant(mem[eventAt(i)]).plus(aggregate(k).window().orElseThrow());
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
