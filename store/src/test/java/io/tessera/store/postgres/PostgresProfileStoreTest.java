package io.tessera.store.postgres;

import io.tessera.profile.ProfileStore;
import io.tessera.testkit.ProfileStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

class PostgresProfileStoreTest extends ProfileStoreContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected ProfileStore open(Path dir) {
        return new PostgresProfileStore(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
