package io.tessera.store.sqlite;

import io.tessera.segment.MembershipStore;
import io.tessera.testkit.MembershipStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteMembershipStoreTest extends MembershipStoreContract {
    @TempDir
    Path dir;

    @Override
    protected MembershipStore open() {
        return new SqliteMembershipStore(dir.resolve("tessera.db"));
    }
}
