package io.tessera.segment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Why a profile is or is not in a segment: every sub-expression of the condition with the value
 * it had, innermost first, and the final result (or the evaluation error that made it false).
 */
public record Explanation(String segment, int version, String condition, boolean member, Optional<String> error, List<Step> steps) {
    public Explanation {
        steps = List.copyOf(steps);
    }

    /** One sub-expression and its value, as text. */
    public record Step(String expression, String value) {}

    static String display(Object v) {
        if (v instanceof String s) {
            return '"' + s + '"';
        }
        if (v instanceof Instant || v instanceof Duration) {
            return v.toString();
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return String.valueOf(v);
        }
        if (v instanceof Throwable t) {
            return "error: " + t.getMessage();
        }
        return String.valueOf(v);
    }
}
