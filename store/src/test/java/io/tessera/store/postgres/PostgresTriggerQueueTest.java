package io.tessera.store.postgres;

import io.tessera.delivery.campaign.TriggerQueue;
import io.tessera.testkit.TriggerQueueContract;
import org.junit.jupiter.api.AfterEach;

class PostgresTriggerQueueTest extends TriggerQueueContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected TriggerQueue open() {
        return new PostgresTriggerQueue(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
