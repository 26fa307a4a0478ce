package io.tessera.store.postgres;

import io.tessera.delivery.Outbox;
import io.tessera.testkit.OutboxContract;
import org.junit.jupiter.api.AfterEach;

class PostgresOutboxTest extends OutboxContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected Outbox open() {
        return new PostgresOutbox(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
