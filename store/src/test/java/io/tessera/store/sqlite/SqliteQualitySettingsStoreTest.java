package io.tessera.store.sqlite;

import io.tessera.quality.QualitySettingsStore;
import io.tessera.testkit.QualitySettingsStoreContract;
import java.nio.file.Path;

class SqliteQualitySettingsStoreTest extends QualitySettingsStoreContract {
    @Override
    protected QualitySettingsStore open(Path dir) {
        return new SqliteQualitySettingsStore(dir.resolve("tessera.db"));
    }
}
