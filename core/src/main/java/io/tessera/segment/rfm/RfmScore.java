package io.tessera.segment.rfm;

import java.util.Map;

/**
 * Recency, frequency and monetary scores 1–5 (5 = best: most recent, most frequent, biggest
 * spender) and the named group, as conditions read them: {@code rfm.r}, {@code rfm.f},
 * {@code rfm.m}, {@code rfm.score} ("545"), {@code rfm.group} ("Champions").
 */
public record RfmScore(int r, int f, int m, RfmGroup group) {
    public String score() {
        return "" + r + f + m;
    }

    public Map<String, Object> asMap() {
        return Map.of("r", (long) r, "f", (long) f, "m", (long) m, "score", score(), "group", group.label());
    }
}
