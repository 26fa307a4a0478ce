package io.tessera.store.postgres;

import io.tessera.store.SqlDedupeReviewQueue;

/**
 * The fuzzy-duplicate review queue in PostgreSQL (migration {@code V10__dedupe_review.sql}): the
 * queries are {@link SqlDedupeReviewQueue}'s, the insert an {@code INSERT … ON CONFLICT DO
 * NOTHING}; a decision is taken once even when two admins on two nodes click at the same time.
 * Thread-safe; does not own the {@link PostgresDatabase}.
 */
public final class PostgresDedupeReviewQueue extends SqlDedupeReviewQueue {
    public PostgresDedupeReviewQueue(PostgresDatabase db) {
        super(db, "INSERT INTO dedupe_review(" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
    }
}
