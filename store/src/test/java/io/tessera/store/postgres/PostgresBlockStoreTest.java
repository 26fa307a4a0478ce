package io.tessera.store.postgres;

import io.tessera.testkit.BlockStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresBlockStoreTest extends BlockStoreContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected io.tessera.content.BlockStore open() {
        return new PostgresBlockStore(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
