package io.tessera.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Group commit for the delivery tables: callers on many threads hand in small writes; one writer
 * thread runs whatever has queued up in a single transaction and then releases every caller, so
 * each call still returns only once its write is committed, but N concurrent callers share one
 * commit. Measured on the 2-core box: one autocommit ledger write costs ~140 µs, which capped a
 * campaign at ~2,300 ledger-bound messages/s with three writes per message (docs/BENCHMARKS.md).
 *
 * <p>Threading: {@link #write} from any thread; the connection and its cached statements belong
 * to the writer thread alone. A write that fails with an SQLException fails its caller only;
 * the rest of the batch commits.
 */
final class BatchedWriter implements AutoCloseable {

    @FunctionalInterface
    interface Work<T> {
        T run(Statements s) throws SQLException;
    }

    /** Prepared statements cached per SQL text, for the writer thread. */
    static final class Statements {
        private final Connection c;
        private final Map<String, PreparedStatement> cache = new HashMap<>();

        Statements(Connection c) {
            this.c = c;
        }

        PreparedStatement get(String sql) throws SQLException {
            PreparedStatement ps = cache.get(sql);
            if (ps == null) {
                ps = c.prepareStatement(sql);
                cache.put(sql, ps);
            }
            return ps;
        }
    }

    private record Op<T>(Work<T> work, CompletableFuture<T> done) {}

    private static final Op<Void> STOP = new Op<>(s -> null, new CompletableFuture<>());

    private final Connection c;
    private final Statements statements;
    private final BlockingQueue<Op<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final String what;

    BatchedWriter(Connection c, String what) {
        this.c = c;
        try {
            // always in a transaction: commit() ends one and begins the next (a deferred BEGIN takes
            // no lock until the first write). Switching auto-commit off and on around each batch
            // cost two more statements a batch ("begin;" and the "commit;" of an empty transaction)
            c.setAutoCommit(false);
        } catch (SQLException e) {
            throw SqliteDelivery.failure(what + " open", e);
        }
        this.what = what;
        this.statements = new Statements(c);
        this.writer = Thread.ofPlatform().daemon().name("sqlite-" + what + "-writer").start(this::loop);
    }

    <T> T write(Work<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        queue.add(new Op<>(work, done));
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted while waiting for commit", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void loop() {
        List<Op<?>> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, 1023);
            boolean stop = batch.remove(STOP);
            commit(batch);
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    private void commit(List<Op<?>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            // results are held back until the commit succeeds
            List<Runnable> release = new ArrayList<>(batch.size());
            for (Op<?> op : batch) {
                CompletableFuture<Object> staged = new CompletableFuture<>();
                runStaged(op, staged);
                release.add(() -> forward(staged, op));
            }
            c.commit();
            release.forEach(Runnable::run);
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                e.addSuppressed(ignored);
            }
            for (Op<?> op : batch) {
                op.done().completeExceptionally(e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void runStaged(Op<?> op, CompletableFuture<Object> staged) {
        try {
            staged.complete(((Work<Object>) op.work()).run(statements));
        } catch (SQLException | RuntimeException e) {
            staged.completeExceptionally(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void forward(CompletableFuture<Object> staged, Op<?> op) {
        CompletableFuture<Object> done = (CompletableFuture<Object>) op.done();
        staged.whenComplete((v, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(v);
            }
        });
    }

    @Override
    public void close() {
        queue.add(STOP);
        try {
            writer.join();
            c.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            throw SqliteDelivery.failure(what + " close", e);
        }
    }
}
