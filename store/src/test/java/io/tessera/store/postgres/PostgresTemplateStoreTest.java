package io.tessera.store.postgres;

import io.tessera.content.TemplateStore;
import io.tessera.testkit.TemplateStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresTemplateStoreTest extends TemplateStoreContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected TemplateStore open() {
        return new PostgresTemplateStore(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
