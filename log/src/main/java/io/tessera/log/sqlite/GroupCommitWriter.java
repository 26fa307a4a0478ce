package io.tessera.log.sqlite;

import io.tessera.event.EventLog.AppendOutcome;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The log's single writer: takes every append waiting in the queue, writes each as one segment
 * row, all in one transaction, commits (one fsync), then completes their futures. Under load a
 * commit carries the appends that arrived during the previous fsync, so the fsync is shared.
 * Duplicates are found with the in-memory {@link MessageIdIndex}, confirmed by reading the
 * candidate (from the segment being built, or from the table through this connection, which also
 * sees the uncommitted rows of the transaction in progress).
 *
 * <p>Threading: {@link #run} is the only code that touches the connection and the index;
 * appenders only enqueue. Offsets are assigned here, contiguously from 0, to stored events only.
 */
final class GroupCommitWriter implements Runnable {
    /** One append call: its events already encoded on the caller's thread. */
    record Pending(List<EncodedEvent> events, CompletableFuture<List<AppendOutcome>> done) {}

    /** An event's messageId and its {@link Segment#entry} bytes. */
    record EncodedEvent(String messageId, byte[] entry) {}

    private static final Pending STOP = new Pending(List.of(), new CompletableFuture<>());
    private static final int MAX_APPENDS_PER_COMMIT = 4096;

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(16_384);
    private final Connection connection;
    private final PreparedStatement insert;
    private final PreparedStatement segmentAt;
    private final CommitSignal signal;
    private final MessageIdIndex index;
    private long nextOffset;

    GroupCommitWriter(Connection connection, long nextOffset, CommitSignal signal) throws SQLException {
        this.connection = connection;
        this.nextOffset = nextOffset;
        this.signal = signal;
        this.index = new MessageIdIndex((int) Math.min(Integer.MAX_VALUE / 4, nextOffset));
        loadIndex();
        connection.setAutoCommit(false);
        this.insert = connection.prepareStatement(
                "INSERT INTO event_segments(first_offset, event_count, payload) VALUES (?, ?, ?)");
        this.segmentAt = connection.prepareStatement(
                "SELECT first_offset, payload FROM event_segments WHERE first_offset <= ? ORDER BY first_offset DESC LIMIT 1");
    }

    private void loadIndex() throws SQLException {
        index.clear();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT first_offset, payload FROM event_segments ORDER BY first_offset")) {
            while (rs.next()) {
                long offset = rs.getLong(1);
                for (String id : Segment.messageIds(rs.getBytes(2))) {
                    index.add(MessageIdIndex.hash(id), offset++);
                }
            }
        }
    }

    private boolean storedAt(long offset, String messageId) {
        try {
            segmentAt.setLong(1, offset);
            try (ResultSet rs = segmentAt.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                List<String> ids = Segment.messageIds(rs.getBytes(2));
                int i = (int) (offset - rs.getLong(1));
                return i < ids.size() && ids.get(i).equals(messageId);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the event log for dedupe failed", e);
        }
    }

    /** Blocks while the queue is full (backpressure on ingestion). */
    void enqueue(Pending p) throws InterruptedException {
        queue.put(p);
    }

    void stop() throws InterruptedException {
        queue.put(STOP);
    }

    int queued() {
        return queue.size();
    }

    @Override
    public void run() {
        List<Pending> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batch, MAX_APPENDS_PER_COMMIT);
            stopping = batch.remove(STOP);
            if (!batch.isEmpty()) {
                commit(batch);
            }
            batch.clear();
        }
        try {
            insert.close();
            segmentAt.close();
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("closing the event log connection failed", e);
        }
    }

    private void commit(List<Pending> batch) {
        long firstOffset = nextOffset;
        List<List<AppendOutcome>> outcomes = new ArrayList<>(batch.size());
        try {
            for (Pending p : batch) {
                outcomes.add(writeSegment(p.events()));
            }
            connection.commit();
        } catch (SQLException | RuntimeException failure) {
            nextOffset = firstOffset;
            rollbackRecordingFailure(failure);
            reloadIndexRecordingFailure(failure);
            batch.forEach(p -> p.done().completeExceptionally(failure));
            return;
        }
        if (nextOffset != firstOffset) {
            signal.advance(nextOffset - 1);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(outcomes.get(i));
        }
    }

    private List<AppendOutcome> writeSegment(List<EncodedEvent> events) throws SQLException {
        long segmentFirst = nextOffset;
        List<String> segmentIds = new ArrayList<>(events.size());
        ByteArrayOutputStream payload = new ByteArrayOutputStream(events.size() * 512);
        List<AppendOutcome> out = new ArrayList<>(events.size());
        MessageIdIndex.RowCheck check = (offset, id) -> offset >= segmentFirst
                ? segmentIds.get((int) (offset - segmentFirst)).equals(id)
                : storedAt(offset, id);
        for (EncodedEvent e : events) {
            long hash = MessageIdIndex.hash(e.messageId());
            if (index.contains(e.messageId(), hash, check)) {
                out.add(AppendOutcome.DUPLICATE);
            } else {
                payload.writeBytes(e.entry());
                segmentIds.add(e.messageId());
                index.add(hash, nextOffset++);
                out.add(AppendOutcome.STORED);
            }
        }
        if (!segmentIds.isEmpty()) {
            insert.setLong(1, segmentFirst);
            insert.setInt(2, segmentIds.size());
            insert.setBytes(3, payload.toByteArray());
            insert.executeUpdate();
        }
        return List.copyOf(out);
    }

    /** The index holds hashes of the rolled-back rows; rebuild it from what is committed. */
    private void reloadIndexRecordingFailure(Exception failure) {
        try {
            loadIndex();
        } catch (SQLException | RuntimeException reloadFailure) {
            failure.addSuppressed(reloadFailure);
        }
    }

    private void rollbackRecordingFailure(Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }
}
