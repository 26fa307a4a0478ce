package io.tessera.opentime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A feed as served: declared field name → value (insertion-ordered, exactly the declared names),
 * the fields that fell back, and when it was resolved.
 */
public record ResolvedFeed(Map<String, Object> values, List<String> fallbacksUsed, Instant resolvedAt) {
    public ResolvedFeed {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        fallbacksUsed = List.copyOf(fallbacksUsed);
    }
}
