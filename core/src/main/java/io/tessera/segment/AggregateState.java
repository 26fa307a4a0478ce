package io.tessera.segment;

import io.tessera.event.Event;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The running state of one aggregate for one profile. All-time aggregates keep a count, an exact
 * sum and the first/last times; windowed ones keep the times of the matching events still inside
 * the window, sorted, so expiry is a drop from the head and the next expiry is the head's time
 * plus the window. Sums are BigDecimal so the result does not depend on arrival order (late
 * events) and equals the brute-force sum exactly. Not thread-safe: owned by its {@link ProfileWindows}.
 *
 * <p>Why primitive arrays: a million profiles' states live in the old generation, and each event
 * used to add an entry object (time, amount) to a list there; those young objects referenced from
 * old ones were what every young collection scanned and copied (SegmentBench with a GC log:
 * ~200 ms pauses, docs/BENCHMARKS.md "Segments, session 7"). Times are stored as epoch
 * nanoseconds ({@link #nanos}, saturating outside 1677–2262, which keeps every comparison the
 * window makes exact for real timestamps); the amounts array exists only for sums.
 */
final class AggregateState {
    private final Aggregate aggregate;
    private final Duration window;
    private long count;
    private BigDecimal sum = BigDecimal.ZERO;
    private Instant first;
    private Instant last;
    /** Windowed: event times (epoch nanos), sorted, in {@code [head, size)}. */
    private long[] at;
    /** Windowed sums: the amounts of {@link #at}'s events, same indexes. */
    private BigDecimal[] amounts;
    private int head;
    private int size;

    AggregateState(Aggregate aggregate) {
        this.aggregate = aggregate;
        this.window = aggregate.window().orElse(null);
        if (window != null) {
            this.at = new long[2];
            this.amounts = aggregate.kind() == Aggregate.Kind.SUM ? new BigDecimal[2] : null;
        }
    }

    Aggregate aggregate() {
        return aggregate;
    }

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

    /** Events at or before this instant (epoch nanos) have left the window at {@code now}. */
    private long cutoff(Instant now) {
        return nanos(now.minus(window));
    }

    /**
     * Adds an event the caller found to match (and, for a windowed aggregate, to be inside the
     * window): see {@link ProfileWindows}.
     */
    void add(Event e) {
        Instant t = e.timestamp();
        if (window != null) {
            insert(nanos(t), amounts == null ? null : aggregate.amount(e));
            return;
        }
        count++;
        if (aggregate.kind() == Aggregate.Kind.SUM) {
            sum = sum.add(aggregate.amount(e));
        }
        first = first == null || t.isBefore(first) ? t : first;
        last = last == null || t.isAfter(last) ? t : last;
    }

    private void insert(long t, BigDecimal amount) {
        if (size == at.length) {
            // compact first: the expired head is room already paid for
            if (head > 0) {
                System.arraycopy(at, head, at, 0, size - head);
                if (amounts != null) {
                    System.arraycopy(amounts, head, amounts, 0, size - head);
                    Arrays.fill(amounts, size - head, size, null);
                }
                size -= head;
                head = 0;
            } else {
                at = Arrays.copyOf(at, size * 2);
                if (amounts != null) {
                    amounts = Arrays.copyOf(amounts, size * 2);
                }
            }
        }
        int i = size;
        while (i > head && at[i - 1] > t) {
            i--;
        }
        System.arraycopy(at, i, at, i + 1, size - i);
        at[i] = t;
        if (amounts != null) {
            System.arraycopy(amounts, i, amounts, i + 1, size - i);
            amounts[i] = amount;
        }
        size++;
    }

    /** The value of an aggregate no event has matched. */
    static Object empty(Aggregate a) {
        return switch (a.kind()) {
            case COUNT -> 0L;
            case SUM -> 0.0;
            case FIRST, LAST -> Instant.EPOCH;
        };
    }

    /** A windowed state whose events have all left the window (all-time states never empty). */
    boolean isEmpty() {
        return window != null && head == size;
    }

    /** Drops the events that have left the window; returns whether any did (the value changed). */
    boolean expire(Instant now) {
        if (window == null) {
            return false;
        }
        int from = firstInside(now);
        if (from == head) {
            return false;
        }
        if (amounts != null) {
            Arrays.fill(amounts, head, from, null);
        }
        head = from;
        if (head == size) {
            head = 0;
            size = 0;
        }
        return true;
    }

    private int firstInside(Instant now) {
        long cut = cutoff(now);
        int i = head;
        while (i < size && at[i] <= cut) {
            i++;
        }
        return i;
    }

    /**
     * The value the condition sees (see {@link SegmentInput#aggregates()}). Does not drop expired
     * events: only {@link #expire} does, so the engine learns of every expiry exactly once.
     */
    Object value(Instant now) {
        return switch (aggregate.kind()) {
            case COUNT -> window != null ? (long) (size - firstInside(now)) : count;
            case SUM -> {
                if (window == null) {
                    yield sum.doubleValue();
                }
                BigDecimal s = BigDecimal.ZERO;
                for (int i = firstInside(now); i < size; i++) {
                    s = s.add(amounts[i]);
                }
                yield s.doubleValue();
            }
            case FIRST -> ConditionFunctions.instantOrEpoch(Optional.ofNullable(first));
            case LAST -> ConditionFunctions.instantOrEpoch(Optional.ofNullable(last));
        };
    }

    /** When the oldest event still inside the window at {@code now} leaves it, if any is inside. */
    Optional<Instant> nextExpiry(Instant now) {
        if (window == null) {
            return Optional.empty();
        }
        int i = firstInside(now);
        if (i >= size) {
            return Optional.empty();
        }
        return Optional.of(instant(at[i]).plus(window));
    }
}
