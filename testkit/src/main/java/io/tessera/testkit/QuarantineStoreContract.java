package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.quality.QuarantineStore;
import io.tessera.quality.QuarantinedRecord;
import io.tessera.quality.QuarantinedRecord.Status;
import io.tessera.quality.Reason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link QuarantineStore} adapter must do, on its real technology: ids assigned on add,
 * newest-first listing filtered by code and source and paged by id, status changes that survive
 * reopening, and a count of what is still quarantined.
 */
public abstract class QuarantineStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    /** A store on this test's storage; opening again must see the same records. */
    protected abstract QuarantineStore open();

    /** Releases what {@link #open} returned (the port has no close). */
    protected abstract void close(QuarantineStore store);

    private static QuarantinedRecord record(String source, String code) {
        return new QuarantinedRecord("", source, "{\"bad\": true, \"é\": 1}",
                List.of(new Reason(code, "/properties/email", "not an email")), T0, Status.QUARANTINED);
    }

    @Test
    void addedRecordsGetIdsAndReadBackEqual() {
        QuarantineStore store = open();
        try {
            List<QuarantinedRecord> stored = store.add(List.of(record("api", "invalid_email"), record("pixel", "schema_violation")));

            assertThat(stored).extracting(QuarantinedRecord::id).doesNotHaveDuplicates().allMatch(id -> id.startsWith("q_"));
            assertThat(store.get(stored.get(0).id())).contains(stored.get(0));
            assertThat(store.get(stored.get(1).id())).contains(stored.get(1));
            assertThat(store.get("q_999")).isEmpty();
            assertThat(store.get("nonsense")).isEmpty();
            assertThat(store.count()).isEqualTo(2);
            assertThat(store.add(List.of())).isEmpty();
        } finally {
            close(store);
        }
    }

    @Test
    void listsNewestFirstFilteredAndPaged() {
        QuarantineStore store = open();
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
            close(store);
        }
    }

    @Test
    void statusChangesAreKeptAndOnlyQuarantinedAreCounted() {
        QuarantineStore store = open();
        List<QuarantinedRecord> stored = store.add(List.of(record("api", "a"), record("api", "b")));
        store.setStatus(stored.get(0).id(), Status.REPLAYED);
        store.setStatus("q_nonsense", Status.DISCARDED);
        close(store);

        QuarantineStore reopened = open();
        try {
            assertThat(reopened.get(stored.get(0).id())).map(QuarantinedRecord::status).contains(Status.REPLAYED);
            assertThat(reopened.count()).isEqualTo(1);
        } finally {
            close(reopened);
        }
    }
}
