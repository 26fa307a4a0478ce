package io.tessera.profile;

import java.time.Instant;
import java.util.Map;

/**
 * What a profile keeps per event name without reading its history: how many, first and last
 * time, and the sums of the numeric properties (e.g. {@code revenue}).
 */
public record EventAggregate(long count, Instant first, Instant last, Map<String, Double> sums) {
    public EventAggregate {
        sums = Map.copyOf(sums);
    }
}
