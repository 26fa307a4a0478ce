package io.tessera.store.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens the connection the delivery adapters use (ledger, suppressions, outbox, campaigns) on the
 * shared {@code tessera.db}, in WAL mode.
 *
 * <p>{@code synchronous=NORMAL} by default: in WAL mode a commit then survives a killed process
 * (kill -9, OOM, deploys — what the ledger's crash test proves) but the last commits may be lost
 * to an operating-system crash or power cut. {@code FULL} fsyncs every commit and costs about one
 * disk flush per ledger write; see the delivery section of docs/BENCHMARKS.md.
 */
final class SqliteDelivery {

    private SqliteDelivery() {
    }

    static Connection open(Path dbFile, boolean fsyncEveryCommit) {
        try {
            Path parent = dbFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=" + (fsyncEveryCommit ? "FULL" : "NORMAL"));
                s.execute("PRAGMA busy_timeout=10000");
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + dbFile, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + dbFile + ": " + e.getMessage(), e);
        }
    }

    static void execute(Connection c, String... ddl) {
        try (Statement s = c.createStatement()) {
            for (String sql : ddl) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("schema: " + e.getMessage(), e);
        }
    }

    static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException(what + ": " + e.getMessage(), e);
    }
}
