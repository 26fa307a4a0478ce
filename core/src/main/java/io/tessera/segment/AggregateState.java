package io.tessera.segment;

import io.tessera.event.Event;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The running state of one aggregate for one profile. All-time aggregates keep a count, an exact
 * sum and the first/last times; windowed ones keep the matching events still inside the window,
 * sorted by time, so expiry is a pop from the head and the next expiry is the head's time plus
 * the window. Sums are BigDecimal so the result does not depend on arrival order (late events)
 * and equals the brute-force sum exactly. Not thread-safe: owned by its {@link ProfileWindows}.
 */
final class AggregateState {
    private final Aggregate aggregate;
    private long count;
    private BigDecimal sum = BigDecimal.ZERO;
    private Instant first;
    private Instant last;
    private final List<Entry> window;

    private record Entry(Instant at, BigDecimal amount) {}

    AggregateState(Aggregate aggregate) {
        this.aggregate = aggregate;
        this.window = aggregate.windowed() ? new ArrayList<>(4) : List.of();
    }

    /** Applies one event (any event; non-matching ones are ignored). Returns whether it counted. */
    boolean add(Event e, Instant now) {
        if (!aggregate.matches(e)) {
            return false;
        }
        Instant t = e.timestamp();
        if (aggregate.windowed()) {
            if (!aggregate.inside(t, now)) {
                return false;
            }
            int i = window.size();
            while (i > 0 && window.get(i - 1).at().isAfter(t)) {
                i--;
            }
            window.add(i, new Entry(t, aggregate.amount(e)));
            return true;
        }
        count++;
        sum = sum.add(aggregate.amount(e));
        first = first == null || t.isBefore(first) ? t : first;
        last = last == null || t.isAfter(last) ? t : last;
        return true;
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
        return aggregate.windowed() && window.isEmpty();
    }

    /** Drops the events that have left the window; returns whether any did (the value changed). */
    boolean expire(Instant now) {
        int drop = firstInside(now);
        if (drop > 0) {
            window.subList(0, drop).clear();
        }
        return drop > 0;
    }

    private int firstInside(Instant now) {
        int i = 0;
        while (i < window.size() && !aggregate.inside(window.get(i).at(), now)) {
            i++;
        }
        return i;
    }

    /**
     * The value the condition sees (see {@link SegmentInput#aggregates()}). Does not drop expired
     * events: only {@link #expire} does, so the engine learns of every expiry exactly once.
     */
    Object value(Instant now) {
        int from = aggregate.windowed() ? firstInside(now) : 0;
        return switch (aggregate.kind()) {
            case COUNT -> aggregate.windowed() ? (long) (window.size() - from) : count;
            case SUM -> {
                if (!aggregate.windowed()) {
                    yield sum.doubleValue();
                }
                BigDecimal s = BigDecimal.ZERO;
                for (int i = from; i < window.size(); i++) {
                    s = s.add(window.get(i).amount());
                }
                yield s.doubleValue();
            }
            case FIRST -> ConditionFunctions.instantOrEpoch(Optional.ofNullable(first));
            case LAST -> ConditionFunctions.instantOrEpoch(Optional.ofNullable(last));
        };
    }

    /** When the oldest event still inside the window at {@code now} leaves it, if any is inside. */
    Optional<Instant> nextExpiry(Instant now) {
        int i = aggregate.windowed() ? firstInside(now) : window.size();
        if (i >= window.size()) {
            return Optional.empty();
        }
        return Optional.of(window.get(i).at().plus(aggregate.window().orElseThrow()));
    }
}
