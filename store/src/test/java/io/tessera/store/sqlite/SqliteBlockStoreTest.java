package io.tessera.store.sqlite;

import io.tessera.content.BlockStore;
import io.tessera.testkit.BlockStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteBlockStoreTest extends BlockStoreContract {
    @TempDir
    Path dir;

    @Override
    protected BlockStore open() {
        return new SqliteBlockStore(dir.resolve("tessera.db"));
    }
}
