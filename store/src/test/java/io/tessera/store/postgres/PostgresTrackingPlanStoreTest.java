package io.tessera.store.postgres;

import io.tessera.quality.TrackingPlanStore;
import io.tessera.testkit.TrackingPlanStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresTrackingPlanStoreTest extends TrackingPlanStoreContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected TrackingPlanStore open() {
        return new PostgresTrackingPlanStore(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
