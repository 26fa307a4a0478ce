package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.quality.PlanMode;
import io.tessera.quality.TrackingPlan;
import io.tessera.quality.TrackingPlanStore;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TrackingPlanStore} adapter must do, on its real technology: versions per event
 * numbered by the store, the newest undeleted plan current, deletion that keeps history and whose
 * version number is never reused.
 */
public abstract class TrackingPlanStoreContract {
    private static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"sku\"]}";

    /** A store on this test's storage; opening again must see the same plans. */
    protected abstract TrackingPlanStore open();

    @Test
    void savesAreVersionedPerEventAndTheNewestIsCurrent() {
        TrackingPlanStore store = open();
        TrackingPlan v1 = store.save("Order Completed", SCHEMA, PlanMode.ALLOW);
        TrackingPlan v2 = store.save("Order Completed", "{}", PlanMode.BLOCK);
        TrackingPlan other = store.save(TrackingPlan.IDENTIFY, SCHEMA, PlanMode.DROP_PROPERTIES);

        assertThat(v1).isEqualTo(new TrackingPlan("Order Completed", 1, SCHEMA, PlanMode.ALLOW));
        assertThat(v2.version()).isEqualTo(2);
        assertThat(other.version()).isEqualTo(1);
        TrackingPlanStore reopened = open();
        assertThat(reopened.current("Order Completed")).contains(v2);
        assertThat(reopened.current("Unknown")).isEmpty();
        assertThat(reopened.current()).containsExactly(other, v2);
        assertThat(reopened.versions("Order Completed")).containsExactly(v1, v2);
    }

    @Test
    void deletionRemovesTheCurrentPlanButKeepsItsVersions() {
        TrackingPlanStore store = open();
        TrackingPlan v1 = store.save("Signed Up", SCHEMA, PlanMode.BLOCK);

        assertThat(store.delete("Signed Up")).isTrue();
        assertThat(store.delete("Signed Up")).isFalse();
        assertThat(store.delete("Never Planned")).isFalse();

        assertThat(store.current("Signed Up")).isEmpty();
        assertThat(store.current()).isEmpty();
        assertThat(store.versions("Signed Up")).containsExactly(v1);
        TrackingPlan again = store.save("Signed Up", SCHEMA, PlanMode.ALLOW);
        assertThat(again.version()).isEqualTo(3);
        assertThat(store.current("Signed Up")).contains(again);
    }
}
