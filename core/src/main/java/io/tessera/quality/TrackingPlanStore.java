package io.tessera.quality;

import java.util.List;
import java.util.Optional;

/**
 * Durable, versioned tracking plans (port). Saving a plan for an event appends a new version;
 * deleting removes the event's plan (its history is kept and reported by {@link #versions}).
 * Thread-safe. Adapters: {@code store.sqlite.SqliteTrackingPlanStore}.
 */
public interface TrackingPlanStore {

    /** The newest version of every plan that is not deleted, by event name. */
    List<TrackingPlan> current();

    Optional<TrackingPlan> current(String event);

    /** Every version of the event's plan, oldest first. */
    List<TrackingPlan> versions(String event);

    /** Stores {@code schema} and {@code mode} as the next version of the event's plan and returns it. */
    TrackingPlan save(String event, String schema, PlanMode mode);

    /** Deletes the event's plan; false when there was none. */
    boolean delete(String event);
}
