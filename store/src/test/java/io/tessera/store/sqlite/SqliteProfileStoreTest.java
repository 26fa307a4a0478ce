package io.tessera.store.sqlite;

import io.tessera.profile.ProfileStore;
import io.tessera.testkit.ProfileStoreContract;
import java.nio.file.Path;

class SqliteProfileStoreTest extends ProfileStoreContract {
    @Override
    protected ProfileStore open(Path dir) {
        return new SqliteProfileStore(dir.resolve("tessera.db"));
    }
}
