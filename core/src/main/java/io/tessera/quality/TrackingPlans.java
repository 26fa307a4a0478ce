package io.tessera.quality;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the live {@link QualityChecks} in step with the stored tracking plans: a plan is compiled
 * before it is stored (an invalid schema changes nothing), and after every change the current
 * plans are compiled into a new rules snapshot and swapped in. Thread-safe: changes are
 * serialized on this object; checks never wait (they read the previous snapshot meanwhile).
 */
public final class TrackingPlans {
    private final TrackingPlanStore store;
    private final QualityChecks checks;

    /** Loads the stored plans into {@code checks}. */
    public TrackingPlans(TrackingPlanStore store, QualityChecks checks) {
        this.store = store;
        this.checks = checks;
        reload();
    }

    public TrackingPlanStore store() {
        return store;
    }

    /** Compiles, then stores as a new version and applies; a schema that does not compile is returned as rejected and nothing changes. */
    public synchronized CompiledPlan.Compilation save(String event, String schema, PlanMode mode) {
        CompiledPlan.Compilation c = CompiledPlan.compile(new TrackingPlan(event, 0, schema, mode));
        if (c instanceof CompiledPlan.Compilation.Rejected) {
            return c;
        }
        TrackingPlan saved = store.save(event, schema, mode);
        reload();
        return CompiledPlan.compile(saved);
    }

    public synchronized boolean delete(String event) {
        boolean deleted = store.delete(event);
        reload();
        return deleted;
    }

    /** Sets the mode for events without a plan (ALLOW or BLOCK). */
    public synchronized void unplanned(PlanMode mode) {
        checks.update(r -> r.withPlans(r.plans(), mode));
    }

    private void reload() {
        Map<String, CompiledPlan> compiled = new LinkedHashMap<>();
        List<TrackingPlan> current = store.current();
        for (TrackingPlan p : current) {
            if (CompiledPlan.compile(p) instanceof CompiledPlan.Compilation.Compiled ok) {
                compiled.put(p.event(), ok.plan());
            }
        }
        checks.update(r -> r.withPlans(compiled, r.unplanned()));
    }
}
