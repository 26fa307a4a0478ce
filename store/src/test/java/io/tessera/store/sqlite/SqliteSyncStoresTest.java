package io.tessera.store.sqlite;

import io.tessera.ingest.hook.HookSourceStore;
import io.tessera.ingest.pull.PullStore;
import io.tessera.ingest.watermark.ImportWatermarkStore;
import io.tessera.testkit.SyncStoresContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteSyncStoresTest extends SyncStoresContract {
    @TempDir
    Path dir;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @Override
    protected HookSourceStore openHookSources() {
        SqliteHookSourceStore store = new SqliteHookSourceStore(dir.resolve("tessera.db"));
        opened.add(store);
        return store;
    }

    @Override
    protected PullStore openPulls() {
        SqlitePullStore store = new SqlitePullStore(dir.resolve("tessera.db"));
        opened.add(store);
        return store;
    }

    @Override
    protected ImportWatermarkStore openWatermarks() {
        SqliteImportWatermarkStore store = new SqliteImportWatermarkStore(dir.resolve("tessera.db"));
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }
}
