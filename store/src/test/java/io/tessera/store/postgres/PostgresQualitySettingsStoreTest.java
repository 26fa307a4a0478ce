package io.tessera.store.postgres;

import io.tessera.quality.QualitySettingsStore;
import io.tessera.testkit.QualitySettingsStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

class PostgresQualitySettingsStoreTest extends QualitySettingsStoreContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected QualitySettingsStore open(Path dir) {
        return new PostgresQualitySettingsStore(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
