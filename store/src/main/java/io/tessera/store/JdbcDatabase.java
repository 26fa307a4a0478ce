package io.tessera.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A database as the JDBC adapters use it: work in one write transaction, or as one read. Both the
 * embedded {@code SqliteDatabase} and {@code PostgresDatabase} are one, so a store whose SQL is the
 * same on both is written once ({@link SqlDedupeReviewQueue}) instead of as two twins.
 */
public interface JdbcDatabase {
    /** Work done on a connection inside a transaction (writes) or as one snapshot read. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction (committed when it returns, rolled back when it throws). */
    <T> T write(Work<T> work);

    /** Runs {@code work} as a read. */
    <T> T read(Work<T> work);
}
