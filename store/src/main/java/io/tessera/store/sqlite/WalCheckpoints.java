package io.tessera.store.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Checkpoints the WAL of a segment store's database file on a thread of its own, so that the
 * segment writer's commits never copy pages into the database file nor wait for its fsync.
 *
 * <p>Why: with SQLite's automatic checkpoint (every 1,000 WAL pages, run by the connection whose
 * commit crosses the mark) the segment writer's thread stopped, several times a second at 10,000
 * events/s on 1M profiles, to copy a few MB of pages at random offsets into the database and fsync
 * it: a pause every event queued behind that commit waited for (SegmentBench, docs/BENCHMARKS.md
 * "Segments live path, session 6"). The writer connections turn the automatic checkpoint off
 * ({@link SegmentSqlite#withoutAutoCheckpoint}); this thread runs a {@code PASSIVE} checkpoint every
 * {@link #INTERVAL_MS} ms on its own connection, which never blocks a writer, and copies each page
 * once per round however many commits changed it. A passive checkpoint that copied everything lets
 * the next write transaction restart the WAL from its beginning; should the WAL file still grow past
 * {@link #TRUNCATE_BYTES} (a writer never leaving a gap), a {@code TRUNCATE} checkpoint waits for a
 * gap between two commits (one pause) and empties it. Durability is unchanged: a commit is durable
 * in the WAL ({@code synchronous=NORMAL}), checkpointed or not.
 *
 * <p>Threading: one daemon thread per database file, shared by the stores that open it
 * ({@link #acquire}: the membership and the window timer store write the same file; one checkpoint
 * round serves both); the last {@link #close} stops it and closes its connection. Other
 * connections to the file keep their automatic checkpoints.
 */
final class WalCheckpoints implements AutoCloseable {
    static final long INTERVAL_MS = 100;
    static final long TRUNCATE_BYTES = 256L << 20;
    /** The running instance of each database file (absolute, normalized path). Guarded by itself. */
    private static final java.util.Map<Path, WalCheckpoints> RUNNING = new java.util.HashMap<>();

    private final Path key;
    private final Connection db;
    private final Path wal;
    private final Thread thread;
    /** Stores holding this instance. Guarded by {@link #RUNNING}. */
    private int holders;
    private volatile boolean closed;
    private volatile Optional<SQLException> lastFailure = Optional.empty();

    private WalCheckpoints(Path key, java.time.Duration busyTimeout) {
        this.key = key;
        this.db = SegmentSqlite.open(key, busyTimeout);
        this.wal = key.resolveSibling(key.getFileName() + "-wal");
        this.thread = Thread.ofPlatform().daemon().name("segment-checkpoints").start(this::run);
    }

    /** The checkpoint thread of {@code dbFile}, started by the first store that asks; close it when done. */
    static WalCheckpoints acquire(Path dbFile, java.time.Duration busyTimeout) {
        Path key = dbFile.toAbsolutePath().normalize();
        synchronized (RUNNING) {
            WalCheckpoints w = RUNNING.computeIfAbsent(key, k -> new WalCheckpoints(k, busyTimeout));
            w.holders++;
            return w;
        }
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
            try {
                checkpoint(walBytes() > TRUNCATE_BYTES ? "TRUNCATE" : "PASSIVE");
            } catch (SQLException e) {
                // A busy database or an outage: the next round tries again (nothing depends on it
                // but the WAL's size); the failure stays visible for tests and health checks.
                lastFailure = Optional.of(e);
            }
        }
    }

    private long walBytes() {
        try {
            return Files.exists(wal) ? Files.size(wal) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private synchronized void checkpoint(String mode) throws SQLException {
        if (closed) {
            return;
        }
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            rs.next();
        }
    }

    /** The last failed checkpoint, if any (a busy database is retried at the next round). */
    Optional<SQLException> lastFailure() {
        return lastFailure;
    }

    /** Releases one holder's use; the last one stops the thread and closes the connection. */
    @Override
    public void close() {
        synchronized (RUNNING) {
            if (--holders > 0) {
                return;
            }
            RUNNING.remove(key, this);
        }
        closed = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            try {
                db.close();
            } catch (SQLException e) {
                throw SegmentSqlite.failure("close checkpoint connection", e);
            }
        }
    }
}
