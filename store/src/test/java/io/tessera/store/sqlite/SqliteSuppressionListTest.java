package io.tessera.store.sqlite;

import io.tessera.delivery.SuppressionList;
import io.tessera.testkit.SuppressionListContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSuppressionListTest extends SuppressionListContract {
    @TempDir
    Path dir;

    @Override
    protected SuppressionList open() {
        return new SqliteSuppressionList(dir.resolve("tessera.db"));
    }
}
