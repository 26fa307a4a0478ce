package io.tessera.quality;

import java.util.Objects;

/**
 * One version of a tracking plan: the JSON Schema (draft 2020-12) that the properties of track
 * events named {@code event} — or, for {@link #IDENTIFY}, the traits of identify calls — must
 * satisfy, and the {@link PlanMode} for violations. Versions are assigned by the store.
 */
public record TrackingPlan(String event, int version, String schema, PlanMode mode) {
    /** The plan key for identify traits. */
    public static final String IDENTIFY = "$identify";

    public TrackingPlan {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(mode, "mode");
        if (event.isBlank()) {
            throw new IllegalArgumentException("a tracking plan needs an event name");
        }
    }
}
