package io.tessera.store.postgres;

import io.tessera.delivery.SendLedger;
import io.tessera.testkit.SendLedgerContract;
import org.junit.jupiter.api.AfterEach;

class PostgresSendLedgerTest extends SendLedgerContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected SendLedger open() {
        return new PostgresSendLedger(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
