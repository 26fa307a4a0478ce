package io.tessera.segment;

import java.time.Instant;
import java.util.Objects;

/**
 * One saved version of a segment: a key, a display name and a CEL condition. Versions are
 * immutable; saving a segment again creates version {@code n + 1}.
 */
public record SegmentDefinition(String key, String name, String condition, int version, Instant savedAt) {
    public SegmentDefinition {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(savedAt, "savedAt");
    }
}
