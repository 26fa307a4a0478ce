package io.tessera.store.sqlite;

import io.tessera.delivery.SendLedger;
import io.tessera.testkit.SendLedgerContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSendLedgerTest extends SendLedgerContract {

    @TempDir
    Path dir;

    @Override
    protected SendLedger open() {
        return new SqliteSendLedger(dir.resolve("tessera.db"));
    }
}
