package io.tessera.store.postgres;

import io.tessera.quality.DataDictionary;
import io.tessera.testkit.DataDictionaryContract;
import org.junit.jupiter.api.AfterEach;

class PostgresDataDictionaryTest extends DataDictionaryContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected DataDictionary open() {
        return new PostgresDataDictionary(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
