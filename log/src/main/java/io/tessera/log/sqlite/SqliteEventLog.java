package io.tessera.log.sqlite;

import io.tessera.event.EventCodec;
import io.tessera.event.EventLog;
import io.tessera.event.EventBatchHandler;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The embedded, durable event log: one SQLite file in WAL mode, one partition (0), offsets
 * contiguous from 0, every messageId stored at most once, forever.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>Table.</b> {@code event_segments(first_offset INTEGER PRIMARY KEY, event_count,
 *       payload)}: one row per append call holding its stored events ({@link Segment}: messageId,
 *       partition key, {@link EventCodec} JSON). Rows go to the end of one B-tree and there is no
 *       secondary index, so a commit writes a few sequential pages, not one B-tree insert per
 *       event; measured, that is what makes group commit pay off (log/RATIONALE.md).</li>
 *   <li><b>Dedupe</b> is exact and forever, through an in-memory {@link MessageIdIndex} (hash →
 *       offset, confirmed by reading that row) rebuilt by one scan at start-up; a UNIQUE index on
 *       random messageIds cost 3-4x the append throughput (log/RATIONALE.md).</li>
 *   <li><b>Group commit.</b> Appenders encode on their own thread and enqueue; one writer thread
 *       ({@link GroupCommitWriter}) drains everything queued into one transaction and one commit,
 *       then completes the futures. Futures complete on that thread: callers should not run heavy
 *       work in non-async continuations.</li>
 *   <li><b>Durability: {@code synchronous=FULL}.</b> The rule is that {@code kill -9} at any moment
 *       loses no acknowledged event. In WAL mode {@code NORMAL} already meets it (a commit is in the
 *       OS page cache once {@code write()} returns, and a killed process does not take the cache
 *       with it), but loses the last commits on power loss or a kernel crash. We choose FULL (the
 *       WAL is fsynced before a commit returns) so that "acknowledged" means "on disk", as the
 *       issue says; group commit pays one fsync per batch of appends, not per request.
 *       The measured cost is in docs/BENCHMARKS.md.</li>
 *   <li><b>Delivery.</b> Each {@link #subscribe} gets its own thread and read connection and
 *       sleeps on a {@link CommitSignal} until the writer commits past it: no polling.</li>
 *   <li><b>Close</b> refuses new appends, commits every append already accepted, then stops
 *       delivery after the batch in hand.</li>
 * </ul>
 *
 * <p>The file may be shared with other tables (SQLite allows one writer at a time per file;
 * {@code busy_timeout} makes the others wait), but a file of its own keeps the log's group commit
 * from queueing behind profile commits: we recommend {@code events.db} beside {@code tessera.db}.
 *
 * <p>Thread-safe.
 */
public final class SqliteEventLog implements EventLog {
    private final Path dbFile;
    private final EventCodec codec = new EventCodec();
    private final CommitSignal signal;
    private final GroupCommitWriter writer;
    private final Thread writerThread;
    private final List<SqliteSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Object appendGate = new Object();
    private boolean closed;

    /** Opens (creating if needed) the log in {@code dbFile}. */
    public SqliteEventLog(Path dbFile) {
        this.dbFile = dbFile;
        try {
            Connection c = SqliteFiles.open(dbFile);
            long next = createSchemaAndFindNextOffset(c);
            this.signal = new CommitSignal(next - 1);
            this.writer = new GroupCommitWriter(c, next, signal);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the event log at " + dbFile + ": " + e.getMessage(), e);
        }
        this.writerThread = Thread.ofPlatform().name("tessera-log-writer").unstarted(writer);
        writerThread.start();
    }

    private static long createSchemaAndFindNextOffset(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS event_segments (
                      first_offset INTEGER PRIMARY KEY,
                      event_count  INTEGER NOT NULL,
                      payload      BLOB NOT NULL)""");
            try (ResultSet rs = s.executeQuery(
                    "SELECT coalesce(max(first_offset + event_count), 0) FROM event_segments")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public CompletableFuture<List<AppendOutcome>> append(List<KeyedEvent> events) {
        List<GroupCommitWriter.EncodedEvent> encoded = new ArrayList<>(events.size());
        for (KeyedEvent k : events) {
            String messageId = k.event().messageId();
            encoded.add(new GroupCommitWriter.EncodedEvent(messageId,
                    Segment.entry(messageId, k.partitionKey(), codec.encode(k.event()))));
        }
        CompletableFuture<List<AppendOutcome>> done = new CompletableFuture<>();
        if (encoded.isEmpty()) {
            done.complete(List.of());
            return done;
        }
        synchronized (appendGate) {
            if (closed) {
                done.completeExceptionally(new IllegalStateException("the event log is closed"));
                return done;
            }
            try {
                writer.enqueue(new GroupCommitWriter.Pending(encoded, done));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done.completeExceptionally(e);
            }
        }
        return done;
    }

    @Override
    public Subscription subscribe(EventBatchHandler handler) {
        SqliteSubscription s = new SqliteSubscription(dbFile, handler, signal, codec);
        subscriptions.add(s);
        s.start();
        return s;
    }

    @Override
    public long size() {
        return signal.committed() + 1;
    }

    /** One partition, 0: the last committed offset. */
    @Override
    public Map<Integer, Long> lastOffsets() {
        return Map.of(0, signal.committed());
    }

    /** Appends accepted but not yet committed; for the queue-depth metric. */
    public int queuedAppends() {
        return writer.queued();
    }

    @Override
    public void close() {
        synchronized (appendGate) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            writer.stop();
            writerThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscriptions.forEach(SqliteSubscription::close);
    }
}
