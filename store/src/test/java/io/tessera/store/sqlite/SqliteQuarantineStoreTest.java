package io.tessera.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.quality.QuarantinedRecord;
import io.tessera.quality.QuarantinedRecord.Status;
import io.tessera.quality.Reason;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteQuarantineStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    Path dir;

    private static QuarantinedRecord record(String source, String code) {
        return new QuarantinedRecord("", source, "{\"bad\": true, \"é\": 1}",
                List.of(new Reason(code, "/properties/email", "not an email")), T0, Status.QUARANTINED);
    }

    @Test
    void addedRecordsGetIdsAndReadBackEqual() {
        SqliteQuarantineStore store = new SqliteQuarantineStore(dir.resolve("tessera.db"));
        try {
            List<QuarantinedRecord> stored = store.add(List.of(record("api", "invalid_email"), record("pixel", "schema_violation")));

            assertThat(stored).extracting(QuarantinedRecord::id).doesNotHaveDuplicates().allMatch(id -> id.startsWith("q_"));
            assertThat(store.get(stored.get(0).id())).contains(stored.get(0));
            assertThat(store.get("q_999")).isEmpty();
            assertThat(store.get("nonsense")).isEmpty();
            assertThat(store.count()).isEqualTo(2);
        } finally {
            store.close();
        }
    }

    @Test
    void listsNewestFirstFilteredAndPaged() {
        SqliteQuarantineStore store = new SqliteQuarantineStore(dir.resolve("tessera.db"));
        try {
            List<QuarantinedRecord> stored = store.add(List.of(record("api", "invalid_email"), record("api", "schema_violation"),
                    record("pixel", "invalid_email"), record("api", "invalid_email")));

            assertThat(store.list("", "", "", 10)).extracting(QuarantinedRecord::id)
                    .containsExactly(stored.get(3).id(), stored.get(2).id(), stored.get(1).id(), stored.get(0).id());
            assertThat(store.list("invalid_email", "api", "", 10)).extracting(QuarantinedRecord::id)
                    .containsExactly(stored.get(3).id(), stored.get(0).id());
            assertThat(store.list("", "", stored.get(2).id(), 1)).extracting(QuarantinedRecord::id)
                    .containsExactly(stored.get(1).id());
            assertThat(store.list("invalid", "", "", 10)).isEmpty();
        } finally {
            store.close();
        }
    }

    @Test
    void statusChangesAreKeptAndOnlyQuarantinedAreCounted() {
        Path file = dir.resolve("tessera.db");
        SqliteQuarantineStore store = new SqliteQuarantineStore(file);
        List<QuarantinedRecord> stored = store.add(List.of(record("api", "a"), record("api", "b")));
        store.setStatus(stored.get(0).id(), Status.REPLAYED);
        store.close();

        SqliteQuarantineStore reopened = new SqliteQuarantineStore(file);
        try {
            assertThat(reopened.get(stored.get(0).id())).map(QuarantinedRecord::status).contains(Status.REPLAYED);
            assertThat(reopened.count()).isEqualTo(1);
        } finally {
            reopened.close();
        }
    }

    @Test
    void sharesItsFileWithTheProfileStore() {
        Path file = dir.resolve("tessera.db");
        SqliteProfileStore profiles = new SqliteProfileStore(file);
        SqliteQuarantineStore quarantine = new SqliteQuarantineStore(file);
        try {
            quarantine.add(List.of(record("api", "a")));
            assertThat(profiles.count()).isZero();
            assertThat(quarantine.count()).isEqualTo(1);
        } finally {
            quarantine.close();
            profiles.close();
        }
    }
}
