package io.tessera.store.sqlite;

import io.tessera.delivery.campaign.TriggerQueue;
import io.tessera.testkit.TriggerQueueContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteTriggerQueueTest extends TriggerQueueContract {
    @TempDir
    Path dir;

    @Override
    protected TriggerQueue open() {
        return new SqliteTriggerQueue(dir.resolve("tessera.db"));
    }
}
