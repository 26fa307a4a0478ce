package io.tessera.store.postgres;

import io.tessera.testkit.TestPostgres;

/**
 * One test's database: a fresh schema on the test PostgreSQL ({@link TestPostgres}), migrated and
 * pooled on first use, dropped by {@link #close}. A test opens its store through {@link #get}
 * as often as it likes (reopening sees the same schema).
 */
final class PostgresTestDatabase implements AutoCloseable {
    private TestPostgres.Schema schema;
    private PostgresDatabase db;

    /** The migrated database; skips (or fails, when PostgreSQL is required) the test when there is none. */
    synchronized PostgresDatabase get() {
        if (db == null) {
            schema = TestPostgres.freshSchema();
            db = PostgresDatabase.open(new PostgresDatabase.Settings(schema.url(), schema.user(), schema.password(), 4));
        }
        return db;
    }

    @Override
    public synchronized void close() {
        if (db != null) {
            db.close();
            schema.close();
            db = null;
        }
    }
}
