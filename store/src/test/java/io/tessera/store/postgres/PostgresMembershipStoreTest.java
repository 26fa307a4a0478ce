package io.tessera.store.postgres;

import io.tessera.segment.MembershipStore;
import io.tessera.testkit.MembershipStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresMembershipStoreTest extends MembershipStoreContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected MembershipStore open() {
        return new PostgresMembershipStore(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
