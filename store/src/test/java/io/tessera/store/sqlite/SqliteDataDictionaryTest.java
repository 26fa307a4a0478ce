package io.tessera.store.sqlite;

import io.tessera.quality.DataDictionary;
import io.tessera.testkit.DataDictionaryContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteDataDictionaryTest extends DataDictionaryContract {
    @TempDir
    Path dir;

    private final List<SqliteDataDictionary> opened = new ArrayList<>();

    @Override
    protected DataDictionary open() {
        SqliteDataDictionary store = new SqliteDataDictionary(dir.resolve("tessera.db"));
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(SqliteDataDictionary::close);
    }
}
