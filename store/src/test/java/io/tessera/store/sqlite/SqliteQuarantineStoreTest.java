package io.tessera.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.quality.QuarantineStore;
import io.tessera.quality.QuarantinedRecord;
import io.tessera.quality.QuarantinedRecord.Status;
import io.tessera.quality.Reason;
import io.tessera.testkit.QuarantineStoreContract;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteQuarantineStoreTest extends QuarantineStoreContract {
    @TempDir
    Path dir;

    @Override
    protected QuarantineStore open() {
        return new SqliteQuarantineStore(dir.resolve("tessera.db"));
    }

    @Override
    protected void close(QuarantineStore store) {
        ((SqliteQuarantineStore) store).close();
    }

    @Test
    void sharesItsFileWithTheProfileStore() {
        Path file = dir.resolve("tessera.db");
        SqliteProfileStore profiles = new SqliteProfileStore(file);
        SqliteQuarantineStore quarantine = new SqliteQuarantineStore(file);
        try {
            quarantine.add(List.of(new QuarantinedRecord("", "api", "{}", List.of(new Reason("a", "", "m")),
                    Instant.parse("2026-11-01T10:00:00Z"), Status.QUARANTINED)));
            assertThat(profiles.count()).isZero();
            assertThat(quarantine.count()).isEqualTo(1);
        } finally {
            quarantine.close();
            profiles.close();
        }
    }
}
