package io.tessera.store.sqlite;

import io.tessera.segment.SegmentDefinitionStore;
import io.tessera.testkit.SegmentDefinitionStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSegmentDefinitionStoreTest extends SegmentDefinitionStoreContract {
    @TempDir
    Path dir;

    @Override
    protected SegmentDefinitionStore open() {
        return new SqliteSegmentDefinitionStore(dir.resolve("tessera.db"));
    }
}
