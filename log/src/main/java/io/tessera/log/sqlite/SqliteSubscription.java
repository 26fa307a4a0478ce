package io.tessera.log.sqlite;

import io.tessera.event.EventBatchHandler;
import io.tessera.event.EventCodec;
import io.tessera.event.EventLog;
import io.tessera.event.LoggedEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the embedded log's single partition (0) to one handler, in offset order, in batches of
 * about {@value #BATCH} events (whole segments, so an import's big append may make one batch larger), on a thread of its own with its own read connection (WAL lets it
 * read while the writer commits). It sleeps on the {@link CommitSignal} when caught up.
 *
 * <p>If the handler (or reading) throws — an outage such as a busy or full disk, per
 * {@link EventBatchHandler} — the failure is logged and delivery starts again from the handler's
 * stored offset after a pause that doubles from {@value #FIRST_PAUSE_MS} ms up to
 * {@value #MAX_PAUSE_MS} ms while the failures go on; it never stops for good while open.
 */
final class SqliteSubscription implements EventLog.Subscription {
    static final int BATCH = 1000;
    static final long FIRST_PAUSE_MS = 100;
    static final long MAX_PAUSE_MS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(SqliteSubscription.class);

    private final Path dbFile;
    private final EventBatchHandler handler;
    private final CommitSignal signal;
    private final EventCodec codec;
    private final Thread thread;
    private volatile long position;
    private volatile boolean running = true;

    SqliteSubscription(Path dbFile, EventBatchHandler handler, CommitSignal signal, EventCodec codec) {
        this.dbFile = dbFile;
        this.handler = handler;
        this.signal = signal;
        this.codec = codec;
        this.position = handler.resumeAfter(0);
        this.thread = Thread.ofPlatform().name("tessera-log-delivery").daemon().unstarted(this::deliver);
    }

    void start() {
        thread.start();
    }

    @Override
    public long lag() {
        return Math.max(0, signal.committed() - position);
    }

    @Override
    public void close() {
        running = false;
        signal.wakeAll();
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void deliver() {
        long pause = FIRST_PAUSE_MS;
        long lastFailureAt = Long.MIN_VALUE;
        while (running) {
            try {
                deliverUntilClosedOrFailed();
                return;
            } catch (SQLException | RuntimeException e) {
                if (position > lastFailureAt) {
                    pause = FIRST_PAUSE_MS; // delivery moved on since the last failure: a new outage
                }
                lastFailureAt = position;
                LOG.error("event delivery failed at offset {}; retrying from the handler's stored offset in {} ms: {}",
                        position, pause, e.toString(), e);
            }
            if (!signal.sleep(pause, () -> running)) {
                return;
            }
            pause = Math.min(MAX_PAUSE_MS, pause * 2);
            try {
                position = handler.resumeAfter(0);
            } catch (RuntimeException e) {
                LOG.error("reading the handler's stored offset failed; retrying from {}", position, e);
            }
        }
    }

    /** Delivers until closed; returns normally only when closed. */
    private void deliverUntilClosedOrFailed() throws SQLException {
        try (Connection c = SqliteFiles.open(dbFile);
                PreparedStatement read = c.prepareStatement("""
                        SELECT first_offset, payload FROM event_segments
                        WHERE first_offset >= coalesce((SELECT max(first_offset) FROM event_segments WHERE first_offset <= ?), 0)
                        ORDER BY first_offset""")) {
            while (running && signal.awaitPast(position, () -> running)) {
                List<LoggedEvent> batch = readAfter(read, position);
                if (!batch.isEmpty()) {
                    handler.onBatch(0, batch);
                    position = batch.get(batch.size() - 1).offset();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private List<LoggedEvent> readAfter(PreparedStatement read, long after) throws SQLException {
        read.setLong(1, after + 1);
        List<LoggedEvent> batch = new ArrayList<>(BATCH);
        try (ResultSet rs = read.executeQuery()) {
            while (batch.size() < BATCH && rs.next()) {
                long offset = rs.getLong(1);
                for (Segment.Entry e : Segment.read(rs.getBytes(2))) {
                    if (offset > after) {
                        batch.add(new LoggedEvent(0, offset, codec.decode(e.body())));
                    }
                    offset++;
                }
            }
        }
        return batch;
    }
}
