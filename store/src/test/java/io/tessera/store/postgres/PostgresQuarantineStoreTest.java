package io.tessera.store.postgres;

import io.tessera.quality.QuarantineStore;
import io.tessera.testkit.QuarantineStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresQuarantineStoreTest extends QuarantineStoreContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected QuarantineStore open() {
        return new PostgresQuarantineStore(db.get());
    }

    @Override
    protected void close(QuarantineStore store) {
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
