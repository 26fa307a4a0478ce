package io.tessera.store.postgres;

import io.tessera.ingest.hook.HookSourceStore;
import io.tessera.ingest.pull.PullStore;
import io.tessera.ingest.watermark.ImportWatermarkStore;
import io.tessera.testkit.SyncStoresContract;
import org.junit.jupiter.api.AfterEach;

class PostgresSyncStoresTest extends SyncStoresContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected HookSourceStore openHookSources() {
        return new PostgresHookSourceStore(db.get());
    }

    @Override
    protected PullStore openPulls() {
        return new PostgresPullStore(db.get());
    }

    @Override
    protected ImportWatermarkStore openWatermarks() {
        return new PostgresImportWatermarkStore(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
