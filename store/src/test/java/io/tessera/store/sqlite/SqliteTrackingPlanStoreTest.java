package io.tessera.store.sqlite;

import io.tessera.quality.TrackingPlanStore;
import io.tessera.testkit.TrackingPlanStoreContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteTrackingPlanStoreTest extends TrackingPlanStoreContract {
    @TempDir
    Path dir;

    private final List<SqliteTrackingPlanStore> opened = new ArrayList<>();

    @Override
    protected TrackingPlanStore open() {
        SqliteTrackingPlanStore store = new SqliteTrackingPlanStore(dir.resolve("tessera.db"));
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(SqliteTrackingPlanStore::close);
    }
}
