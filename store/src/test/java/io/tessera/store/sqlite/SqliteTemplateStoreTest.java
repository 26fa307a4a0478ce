package io.tessera.store.sqlite;

import io.tessera.content.TemplateStore;
import io.tessera.testkit.TemplateStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteTemplateStoreTest extends TemplateStoreContract {
    @TempDir
    Path dir;

    @Override
    protected TemplateStore open() {
        return new SqliteTemplateStore(dir.resolve("tessera.db"));
    }
}
