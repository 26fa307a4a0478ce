package io.tessera.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One SQLite file in WAL mode as a store sees it: a single write connection (SQLite has one
 * writer per file anyway; callers serialize on {@link #write}) and a small pool of read
 * connections, which WAL lets read while the writer commits. Thread-safe.
 */
final class SqliteDatabase implements io.tessera.store.JdbcDatabase, AutoCloseable {
    private static final int READERS = 4;
    private final Path file;
    private final boolean fsyncEveryCommit;
    private final Connection writer;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> all = new ArrayList<>();

    SqliteDatabase(Path file, String schema) {
        this(file, schema, true);
    }

    /**
     * {@code fsyncEveryCommit=false} is {@code synchronous=NORMAL}: in WAL mode a commit still
     * survives a killed process, only a power cut may roll back the last commits. Only for state
     * derived from the durable log that records its log offset in the same transaction, so a
     * rollback merely makes it lag the log, and replay catches it up.
     */
    SqliteDatabase(Path file, String schema, boolean fsyncEveryCommit) {
        this.file = file;
        this.fsyncEveryCommit = fsyncEveryCommit;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            writer = connect();
            try (Statement s = writer.createStatement()) {
                s.executeUpdate(schema);
            }
            writer.setAutoCommit(false);
            for (int i = 0; i < READERS; i++) {
                readers.add(connect());
            }
        } catch (SQLException | IOException e) {
            close();
            throw new IllegalStateException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        all.add(c);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=" + (fsyncEveryCommit ? "FULL" : "NORMAL"));
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA foreign_keys=OFF");
        }
        return c;
    }

    /** Runs {@code work} in one transaction: all of it commits, or none. */
    @Override
    public synchronized <T> T write(Work<T> work) {
        try {
            T result = work.run(writer);
            writer.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                writer.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            if (e instanceof io.tessera.profile.FencedCommitException fenced) {
                throw fenced; // a verdict the caller acts on, not an outage
            }
            throw new IllegalStateException("write to " + file.getFileName() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T read(Work<T> work) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a read connection", e);
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("read from " + file.getFileName() + " failed: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    @Override
    public synchronized void close() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException e) {
                throw new IllegalStateException("closing " + file + " failed", e);
            }
        }
        all.clear();
    }
}
