package io.tessera.store.postgres;

import io.tessera.delivery.SuppressionList;
import io.tessera.testkit.SuppressionListContract;
import org.junit.jupiter.api.AfterEach;

class PostgresSuppressionListTest extends SuppressionListContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected SuppressionList open() {
        return new PostgresSuppressionList(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
