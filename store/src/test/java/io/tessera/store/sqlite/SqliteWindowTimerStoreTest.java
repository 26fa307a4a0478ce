package io.tessera.store.sqlite;

import io.tessera.segment.WindowTimerStore;
import io.tessera.testkit.WindowTimerStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteWindowTimerStoreTest extends WindowTimerStoreContract {
    @TempDir
    Path dir;

    @Override
    protected WindowTimerStore open() {
        return new SqliteWindowTimerStore(dir.resolve("tessera.db"));
    }
}
