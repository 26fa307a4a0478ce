package io.tessera.store.sqlite;

import io.tessera.quality.dedupe.DedupeReviewQueue;
import io.tessera.testkit.DedupeReviewQueueContract;
import java.nio.file.Path;

class SqliteDedupeReviewQueueTest extends DedupeReviewQueueContract {
    @Override
    protected DedupeReviewQueue open(Path dir) {
        return new SqliteDedupeReviewQueue(dir.resolve("tessera.db"));
    }

    @Override
    protected void close(DedupeReviewQueue queue) {
        ((SqliteDedupeReviewQueue) queue).close();
    }
}
