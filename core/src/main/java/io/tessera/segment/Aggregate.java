package io.tessera.segment;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import io.tessera.event.JsonValues;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One behavioural fact a segment condition asks about, with its arguments fixed at compile time:
 * {@code count("Product Viewed", duration("48h"), {"category": "shoes"})} is the aggregate
 * (COUNT, "Product Viewed", window 48h, filter category=shoes). Two conditions asking the same
 * question share one aggregate, so the incremental evaluator keeps its state once.
 *
 * <p>Window semantics (shared by the incremental and the brute-force evaluators): an event with
 * time {@code t} is inside a window {@code d} at {@code now} iff {@code t > now - d}; it leaves
 * the window at exactly {@code t + d}.
 *
 * @param kind     what is computed
 * @param event    the track event name
 * @param property the numeric property summed (SUM only; "" otherwise)
 * @param window   the look-back window; empty means all time
 * @param filter   property path → required value (numbers normalized to BigDecimal)
 */
public record Aggregate(Kind kind, String event, String property, Optional<Duration> window, Map<String, Object> filter) {

    /** What an aggregate computes. */
    public enum Kind { COUNT, SUM, FIRST, LAST }

    public Aggregate {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(window, "window");
        filter = normalizeFilter(filter);
    }

    static Aggregate count(String event, Optional<Duration> window, Map<?, ?> filter) {
        return new Aggregate(Kind.COUNT, event, "", window, normalizeFilter(filter));
    }

    /** Maps from CEL literals and from runtime arguments normalize to the same key. */
    static Map<String, Object> normalizeFilter(Map<?, ?> filter) {
        if (filter.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> sorted = new TreeMap<>();
        filter.forEach((k, v) -> sorted.put(String.valueOf(k), normalizeValue(v)));
        return Map.copyOf(sorted);
    }

    private static Object normalizeValue(Object v) {
        if (v instanceof Number n && !(v instanceof BigDecimal)) {
            return JsonValues.asDecimal(n).map(BigDecimal::stripTrailingZeros).orElse(BigDecimal.ZERO);
        }
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros();
        }
        return v;
    }

    /**
     * Cheap: aggregates are hash keys on the hot path, and the generated record hash walked the
     * filter map every time (a few % of live CPU). Consistent with {@link #equals}.
     */
    @Override
    public int hashCode() {
        return ((kind.ordinal() * 31 + event.hashCode()) * 31 + property.hashCode()) * 31 + window.hashCode() + filter.size();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Aggregate a && kind == a.kind && event.equals(a.event) && property.equals(a.property)
                && window.equals(a.window) && filter.equals(a.filter);
    }

    private static final java.util.concurrent.ConcurrentHashMap<Aggregate, Aggregate> CANONICAL = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The one instance of this aggregate the compiler hands out, so the evaluator's lookups (a
     * profile's state, the tracked set) succeed on identity instead of comparing filters: equal
     * aggregates of different segments were different objects, and comparing them was the largest
     * part of reading a value (SegmentBench, JFR, docs/BENCHMARKS.md "Segments, session 8"). Kept
     * for the life of the process: there are as many as distinct aggregates ever compiled.
     */
    static Aggregate canonical(Aggregate a) {
        Aggregate c = CANONICAL.putIfAbsent(a, a);
        return c == null ? a : c;
    }

    public boolean windowed() {
        return window.isPresent();
    }

    /** Whether the event is one this aggregate counts (ignoring the window). */
    public boolean matches(Event e) {
        if (e.type() != EventType.TRACK || !e.name().equals(event)) {
            return false;
        }
        for (Map.Entry<String, Object> f : filter.entrySet()) {
            Optional<Object> actual = JsonValues.at(e.properties(), f.getKey());
            if (actual.isEmpty() || !normalizeValue(actual.get()).equals(f.getValue())) {
                if (!(f.getValue() instanceof BigDecimal want && actual.flatMap(JsonValues::asDecimal)
                        .map(a -> a.compareTo(want) == 0).orElse(false))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The summed amount an event contributes (0 when the property is missing or not numeric). */
    public BigDecimal amount(Event e) {
        if (kind != Kind.SUM) {
            return BigDecimal.ZERO;
        }
        return JsonValues.at(e.properties(), property).flatMap(JsonValues::asDecimal).orElse(BigDecimal.ZERO);
    }

    /** Whether an event at {@code t} is inside this aggregate's window at {@code now}. */
    public boolean inside(Instant t, Instant now) {
        return window.map(d -> t.isAfter(now.minus(d))).orElse(true);
    }

    /** How the aggregate reads in a condition, for explanations. */
    public String describe() {
        StringBuilder sb = new StringBuilder(kind.name().toLowerCase(java.util.Locale.ROOT)).append("(\"").append(event).append('"');
        if (kind == Kind.SUM) {
            sb.append(", \"").append(property).append('"');
        }
        window.ifPresent(d -> sb.append(", duration(\"").append(d.toSeconds()).append("s\")"));
        if (!filter.isEmpty()) {
            sb.append(", ").append(filter);
        }
        return sb.append(')').toString();
    }
}
