package io.tessera.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The PostgreSQL database every {@code Postgres*} store of a node shares: one HikariCP pool, and
 * the schema brought up to date by Flyway (classpath {@code db/migration/postgresql}) when it is
 * opened, so N nodes started against one database agree on the schema (Flyway takes a lock while
 * migrating; the second node finds nothing to do).
 *
 * <p>The pool's connections use {@code reWriteBatchedInserts=true}: a JDBC batch of single-row
 * INSERTs goes to the server as multi-row INSERTs, which is what makes the stores' batched
 * writes one round trip per few hundred rows rather than one per row. (So a batched
 * {@code INSERT … ON CONFLICT DO UPDATE} must not carry one key twice: the stores collapse their
 * rows by key first.)
 *
 * <p>{@link #write} runs work in one transaction and retries it (up to {@value #ATTEMPTS} times)
 * when PostgreSQL aborts it for a deadlock or a serialization failure, which two nodes writing
 * overlapping rows can cause; work must therefore only depend on its inputs and the database.
 *
 * <p>Thread-safe. Closing it closes the pool; the stores built on it do not own it.
 */
public final class PostgresDatabase implements io.tessera.store.JdbcDatabase, AutoCloseable {
    static final String MIGRATIONS = "classpath:db/migration/postgresql";
    private static final int ATTEMPTS = 5;

    /** Where the database is and how many connections this node may hold. */
    public record Settings(String url, String user, String password, int poolSize) {
        public Settings {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db): " + url);
            }
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be at least 1: " + poolSize);
            }
        }
    }

    private final HikariDataSource pool;
    private final String where;

    private PostgresDatabase(HikariDataSource pool, String where) {
        this.pool = pool;
        this.where = where;
    }

    /**
     * Connects, migrates the schema and returns the shared database. Throws
     * {@link IllegalStateException} with the reason when PostgreSQL cannot be reached or migrated.
     */
    public static PostgresDatabase open(Settings settings) {
        return open(settings, true);
    }

    /** {@code migrate=false}: for tests that copy an already migrated schema (Flyway costs ~1 s a schema). */
    static PostgresDatabase open(Settings settings, boolean migrate) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        if (!settings.user().isEmpty()) {
            config.setUsername(settings.user());
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setPoolName("tessera-postgres");
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(1); // one attempt: an unreachable database fails the start at once
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", "tessera");
        String where = redacted(settings.url());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("PostgreSQL at " + where + " is unreachable: " + rootMessage(e), e);
        }
        if (!migrate) {
            return new PostgresDatabase(pool, where);
        }
        try {
            Flyway.configure().loggers("slf4j").dataSource(pool).locations(MIGRATIONS).load().migrate();
        } catch (FlywayException e) {
            pool.close();
            throw new IllegalStateException("PostgreSQL at " + where + ": schema migration failed: " + rootMessage(e), e);
        }
        return new PostgresDatabase(pool, where);
    }

    /** Runs {@code work} in one transaction, retried on deadlock or serialization failure. */
    @Override
    public <T> T write(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    if (attempt < ATTEMPTS && e instanceof SQLException sql && retryable(sql)) {
                        continue;
                    }
                    throw e;
                }
            } catch (SQLException e) {
                throw failure("write", e);
            }
        }
    }

    /**
     * Takes a transaction-scoped advisory lock on ({@code kind}, {@code key}): writers that number
     * versions (max + 1) of the same key, on any node, take turns; other keys are not blocked.
     */
    static void lock(Connection c, String kind, String key) throws SQLException {
        try (java.sql.PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?), hashtext(?))")) {
            s.setString(1, kind);
            s.setString(2, key);
            s.execute();
        }
    }

    /** Runs {@code work} on a pooled connection in autocommit mode (each statement its own snapshot). */
    @Override
    public <T> T read(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** One round trip to the server; for start-up and readiness checks. */
    public void check() {
        read(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT 1");
            }
            return null;
        });
    }

    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40P01".equals(state) || "40001".equals(state);
    }

    private IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("PostgreSQL " + what + " at " + where + " failed: " + e.getMessage(), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** The URL without its query (which may carry a password). */
    private static String redacted(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @Override
    public void close() {
        pool.close();
    }
}
