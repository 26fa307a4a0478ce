package io.tessera.store.postgres;

import io.tessera.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One test's database: a fresh schema on the test PostgreSQL ({@link TestPostgres}), pooled on
 * first use, dropped by {@link #close}. A test opens its stores through {@link #get} as often as it
 * likes (reopening sees the same schema).
 *
 * <p>Flyway migrates one template schema per JVM (the production path); each test's schema is a
 * copy of the template's tables ({@code CREATE TABLE … (LIKE … INCLUDING ALL)}), because running
 * Flyway for every test cost about a second each.
 */
final class PostgresTestDatabase implements AutoCloseable {
    private static TestPostgres.Schema template;

    private TestPostgres.Schema schema;
    private PostgresDatabase db;

    /** The migrated database; skips (or fails, when PostgreSQL is required) the test when there is none. */
    synchronized PostgresDatabase get() {
        if (db == null) {
            String from = template().name();
            schema = TestPostgres.freshSchema();
            try (Connection c = DriverManager.getConnection(schema.url(), schema.user(), schema.password());
                    Statement s = c.createStatement()) {
                s.execute("""
                        DO $$ DECLARE t text; BEGIN
                          FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = '%s' AND tablename <> 'flyway_schema_history' LOOP
                            EXECUTE format('CREATE TABLE %%I.%%I (LIKE %%I.%%I INCLUDING ALL)', '%s', t, '%s', t);
                          END LOOP;
                        END $$""".formatted(from, schema.name(), from));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot copy the template schema: " + e.getMessage(), e);
            }
            db = PostgresDatabase.open(settings(schema), false);
        }
        return db;
    }

    private static synchronized TestPostgres.Schema template() {
        if (template == null) {
            TestPostgres.Schema migrated = TestPostgres.freshSchema();
            PostgresDatabase.open(settings(migrated)).close();
            template = migrated;
        }
        return template;
    }

    static PostgresDatabase.Settings settings(TestPostgres.Schema schema) {
        return new PostgresDatabase.Settings(schema.url(), schema.user(), schema.password(), 4);
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
