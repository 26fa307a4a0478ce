package io.tessera.store.postgres;

import io.tessera.segment.WindowTimerStore;
import io.tessera.testkit.WindowTimerStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresWindowTimerStoreTest extends WindowTimerStoreContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected WindowTimerStore open() {
        return new PostgresWindowTimerStore(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
