package io.tessera.store.sqlite;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * the next write transaction restart the WAL from its beginning; but a writer committing all the
 * time never leaves it the chance, and the WAL grew until a {@code TRUNCATE} checkpoint stopped the
 * writer for 0.1-0.8 s every ~12 s at 10,000 events/s (SegmentBench, docs/BENCHMARKS.md "Segments,
 * session 9"). So once the WAL holds {@link #RESET_BYTES}, a second passive checkpoint runs right
 * after the round's first, holding the stores' writes back ({@link #write}): it copies only what was
 * committed during the first (which paid for the bulk of the copying), completes, and the next
 * commit starts the WAL over. That checkpoint, the only one that completes, is also the only one
 * that fsyncs the database file (the rounds fsync only the WAL), and that fsync wrote out every page
 * the rounds had copied since the last reset: 15-20 ms of the writes held every ~6 s at 10,000
 * events/s (strace of this thread under SegmentBench, docs/BENCHMARKS.md "Segments, session 10").
 * So the database file is fsynced first, holding nothing ({@link #dbFile}), and the held
 * checkpoint's fsync finds only its own few pages (~1-2 ms held). {@code TRUNCATE} stays as the
 * last resort for a WAL file past {@link #TRUNCATE_BYTES} (a reader holding an old snapshot for
 * long, or one huge transaction). Durability is unchanged: a commit is durable in the WAL
 * ({@code synchronous=NORMAL}), checkpointed or not.
 *
 * <p>Threading: one daemon thread per database file, shared by the stores that open it
 * ({@link #acquire}: the membership and the window timer store write the same file; one checkpoint
 * round serves both); the last {@link #close} stops it and closes its connection. Other
 * connections to the file keep their automatic checkpoints.
 */
final class WalCheckpoints implements AutoCloseable {
    static final long INTERVAL_MS = 100;
    static final long TRUNCATE_BYTES = 512L << 20;
    /** WAL content after which a round's second, write-holding checkpoint lets the WAL start over. */
    static final long RESET_BYTES = 128L << 20;
    /** Held by the stores' write transactions, and by the checkpoint that must complete. */
    private final java.util.concurrent.locks.ReentrantLock writes = new java.util.concurrent.locks.ReentrantLock();
    private final long pageSize;
    private final long resetBytes;
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
    /**
     * The database file, read only, fsynced before a reset (see the class comment). Open for the
     * instance's life and closed after its connection: closing any descriptor of a file drops the
     * process's POSIX locks on it, which SQLite's connections hold during their transactions.
     */
    private final FileChannel dbFile;
    private volatile WalResets resets = new WalResets(0, 0, 0);

    private WalCheckpoints(Path key, java.time.Duration busyTimeout, long resetBytes) {
        this.key = key;
        this.resetBytes = resetBytes;
        this.db = SegmentSqlite.open(key, busyTimeout);
        this.wal = key.resolveSibling(key.getFileName() + "-wal");
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA page_size")) {
            this.pageSize = rs.next() ? rs.getLong(1) : 4096;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read page size", e);
        }
        try {
            this.dbFile = FileChannel.open(key, StandardOpenOption.READ);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot open " + key + " to sync it", e);
        }
        this.thread = Thread.ofPlatform().daemon().name("segment-checkpoints").start(this::run);
    }

    /** The checkpoint thread of {@code dbFile}, started by the first store that asks; close it when done. */
    static WalCheckpoints acquire(Path dbFile, java.time.Duration busyTimeout) {
        return acquire(dbFile, busyTimeout, RESET_BYTES);
    }

    /** {@link #acquire} with another {@link #RESET_BYTES}, for the file's first holder (tests). */
    static WalCheckpoints acquire(Path dbFile, java.time.Duration busyTimeout, long resetBytes) {
        Path key = dbFile.toAbsolutePath().normalize();
        synchronized (RUNNING) {
            WalCheckpoints w = RUNNING.computeIfAbsent(key, k -> new WalCheckpoints(k, busyTimeout, resetBytes));
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
                if (walBytes() > TRUNCATE_BYTES) {
                    checkpoint("TRUNCATE");
                } else if (checkpoint("PASSIVE") * pageSize > resetBytes) {
                    dbFile.force(false);
                    writes.lock();
                    long held = System.nanoTime();
                    try {
                        checkpoint("PASSIVE");
                    } finally {
                        writes.unlock();
                    }
                    held = System.nanoTime() - held;
                    WalResets r = resets;
                    resets = new WalResets(r.count() + 1, r.heldNanos() + held, Math.max(r.longestNanos(), held));
                }
            } catch (java.io.IOException e) {
                // the fsync failed: the held checkpoint syncs the file itself (as it always did)
                lastFailure = Optional.of(new SQLException("fsync of " + key + " failed", e));
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

    /** Runs a write transaction of one of the file's segment stores (see {@link #RESET_BYTES}). */
    void write(Connection c, String what, SegmentSqlite.SqlWork work) {
        writes.lock();
        try {
            SegmentSqlite.inTransaction(c, what, work);
        } finally {
            writes.unlock();
        }
    }

    /** Runs a checkpoint; returns the frames in the WAL (0 when closed). */
    private synchronized long checkpoint(String mode) throws SQLException {
        if (closed) {
            return 0;
        }
        long frames;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            // busy, frames in the WAL, frames checkpointed
            rs.next();
            frames = rs.getLong(2);
        }
        return frames;
    }

    WalResets resets() {
        return resets;
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
                dbFile.close();
            } catch (SQLException e) {
                throw SegmentSqlite.failure("close checkpoint connection", e);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot close " + key, e);
            }
        }
    }
}
