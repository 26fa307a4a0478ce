package io.tessera.store.postgres;

import io.tessera.quality.dedupe.DedupeReviewQueue;
import io.tessera.testkit.DedupeReviewQueueContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

class PostgresDedupeReviewQueueTest extends DedupeReviewQueueContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected DedupeReviewQueue open(Path dir) {
        return new PostgresDedupeReviewQueue(db.get());
    }

    @Override
    protected void close(DedupeReviewQueue queue) {
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
