package io.tessera.store.sqlite;

import io.tessera.delivery.Outbox;
import io.tessera.testkit.OutboxContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteOutboxTest extends OutboxContract {
    @TempDir
    Path dir;

    @Override
    protected Outbox open() {
        return new SqliteOutbox(dir.resolve("tessera.db"));
    }
}
