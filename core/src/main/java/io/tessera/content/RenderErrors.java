package io.tessera.content;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Render errors per template version ({@code key@version}): blocks that failed and fell back, and
 * messages the final check refused. Mutable, thread-safe (lock-free counters); the API reads a
 * snapshot.
 */
public final class RenderErrors {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void record(String templateVersion) {
        counts.computeIfAbsent(templateVersion, k -> new LongAdder()).increment();
    }

    public long count(String templateVersion) {
        LongAdder a = counts.get(templateVersion);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
