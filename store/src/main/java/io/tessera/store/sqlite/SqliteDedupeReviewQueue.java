package io.tessera.store.sqlite;

import io.tessera.quality.dedupe.DedupeReviewQueue;
import io.tessera.store.SqlDedupeReviewQueue;
import java.nio.file.Path;

/**
 * The embedded {@link DedupeReviewQueue}: table {@code dedupe_review} in a SQLite file (usually
 * {@code tessera.db}); the queries are {@link SqlDedupeReviewQueue}'s, the insert an
 * {@code INSERT OR IGNORE}. Thread-safe.
 */
public final class SqliteDedupeReviewQueue extends SqlDedupeReviewQueue implements AutoCloseable {
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS dedupe_review (
              id TEXT PRIMARY KEY, profile_a TEXT NOT NULL, profile_b TEXT NOT NULL, score REAL NOT NULL,
              status TEXT NOT NULL, note TEXT NOT NULL, found_at TEXT NOT NULL, decided_at TEXT);
            CREATE INDEX IF NOT EXISTS dedupe_review_by_status ON dedupe_review(status, score);
            """;

    private final SqliteDatabase db;

    public SqliteDedupeReviewQueue(Path dbFile) {
        this(new SqliteDatabase(dbFile, SCHEMA));
    }

    private SqliteDedupeReviewQueue(SqliteDatabase db) {
        super(db, "INSERT OR IGNORE INTO dedupe_review(" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        this.db = db;
    }

    @Override
    public void close() {
        db.close();
    }
}
