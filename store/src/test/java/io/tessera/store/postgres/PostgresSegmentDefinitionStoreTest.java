package io.tessera.store.postgres;

import io.tessera.segment.SegmentDefinitionStore;
import io.tessera.testkit.SegmentDefinitionStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresSegmentDefinitionStoreTest extends SegmentDefinitionStoreContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected SegmentDefinitionStore open() {
        return new PostgresSegmentDefinitionStore(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
