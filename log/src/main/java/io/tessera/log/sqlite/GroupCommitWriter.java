package io.tessera.log.sqlite;

import io.tessera.event.EventLog.AppendOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The log's single writer: takes every append waiting in the queue, inserts them all in one
 * transaction, commits (one fsync), then completes their futures. Under load a commit carries the
 * appends that arrived during the previous fsync, so the fsync cost is shared by all of them.
 *
 * <p>Threading: {@link #run} is the only code that touches the connection; appenders only enqueue.
 * Offsets are assigned here, contiguously from 0, and only to stored (non-duplicate) events.
 */
final class GroupCommitWriter implements Runnable {
    /** One append call: its events already encoded on the caller's thread. */
    record Pending(List<EncodedEvent> events, CompletableFuture<List<AppendOutcome>> done) {}

    record EncodedEvent(String messageId, String partitionKey, byte[] body) {}

    private static final Pending STOP = new Pending(List.of(), new CompletableFuture<>());
    private static final int MAX_APPENDS_PER_COMMIT = 4096;

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(16_384);
    private final Connection connection;
    private final PreparedStatement insert;
    private final CommitSignal signal;
    private long nextOffset;

    GroupCommitWriter(Connection connection, long nextOffset, CommitSignal signal) throws SQLException {
        this.connection = connection;
        this.nextOffset = nextOffset;
        this.signal = signal;
        connection.setAutoCommit(false);
        this.insert = connection.prepareStatement(
                "INSERT OR IGNORE INTO events(log_offset, message_id, partition_key, body) VALUES (?, ?, ?, ?)");
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
                List<AppendOutcome> out = new ArrayList<>(p.events().size());
                for (EncodedEvent e : p.events()) {
                    insert.setLong(1, nextOffset);
                    insert.setString(2, e.messageId());
                    insert.setString(3, e.partitionKey());
                    insert.setBytes(4, e.body());
                    if (insert.executeUpdate() == 1) {
                        nextOffset++;
                        out.add(AppendOutcome.STORED);
                    } else {
                        out.add(AppendOutcome.DUPLICATE);
                    }
                }
                outcomes.add(out);
            }
            connection.commit();
        } catch (SQLException | RuntimeException failure) {
            nextOffset = firstOffset;
            rollbackRecordingFailure(failure);
            batch.forEach(p -> p.done().completeExceptionally(failure));
            return;
        }
        if (nextOffset != firstOffset) {
            signal.advance(nextOffset - 1);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(List.copyOf(outcomes.get(i)));
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
