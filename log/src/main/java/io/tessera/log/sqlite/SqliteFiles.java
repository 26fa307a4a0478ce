package io.tessera.log.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Opens connections to the log's SQLite file with the pragmas every connection needs. */
final class SqliteFiles {
    private SqliteFiles() {}

    static Connection open(Path dbFile) throws SQLException {
        try {
            Path parent = dbFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create the directory of " + dbFile, e);
        }
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            // FULL: the WAL is fsynced at every commit, so an acknowledged event survives power loss,
            // not only kill -9 (see SqliteEventLog's class comment and log/RATIONALE.md).
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=10000");
        }
        return c;
    }
}
