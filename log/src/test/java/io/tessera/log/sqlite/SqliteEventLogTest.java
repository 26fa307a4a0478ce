package io.tessera.log.sqlite;

import io.tessera.event.EventLog;
import io.tessera.testkit.EventLogContract;
import java.nio.file.Path;

class SqliteEventLogTest extends EventLogContract {
    @Override
    protected EventLog open(Path dir) {
        return new SqliteEventLog(dir.resolve("events.db"));
    }
}
