package io.tessera.store.sqlite;

import io.tessera.webhook.WebhookStore;
import io.tessera.webhook.WebhookSubscription;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Webhooks in SQLite: {@code webhook_subscription}, {@code webhook_cursor} (how far each source has
 * been fanned out) and {@code webhook_delivery} (the queue: pending rows indexed by due time;
 * delivered and dead rows stay, dead ones are the dead-letter list). Thread-safe (synchronized).
 */
public final class SqliteWebhookStore implements WebhookStore {
    private final Connection db;

    public SqliteWebhookStore(Path dbFile) {
        this.db = SegmentSqlite.open(dbFile,
                "CREATE TABLE IF NOT EXISTS webhook_subscription (id TEXT PRIMARY KEY, url TEXT NOT NULL, secret TEXT NOT NULL, "
                        + "events TEXT NOT NULL, created_at INTEGER NOT NULL)",
                "CREATE TABLE IF NOT EXISTS webhook_cursor (source TEXT PRIMARY KEY, position INTEGER NOT NULL)",
                "CREATE TABLE IF NOT EXISTS webhook_delivery (id INTEGER PRIMARY KEY AUTOINCREMENT, subscription_id TEXT NOT NULL, "
                        + "event_id TEXT NOT NULL, event_type TEXT NOT NULL, body TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
                        + "status TEXT NOT NULL, next_attempt_at INTEGER NOT NULL, last_error TEXT, updated_at INTEGER NOT NULL)",
                "CREATE INDEX IF NOT EXISTS webhook_delivery_due ON webhook_delivery(status, next_attempt_at)");
    }

    @Override
    public synchronized void save(WebhookSubscription s) {
        update("save webhook", "INSERT OR REPLACE INTO webhook_subscription(id, url, secret, events, created_at) VALUES (?, ?, ?, ?, ?)",
                s.id(), s.url(), s.secret(), String.join(",", s.events().stream().sorted().toList()), s.createdAt().toEpochMilli());
    }

    @Override
    public synchronized Optional<WebhookSubscription> subscription(String id) {
        return query("SELECT id, url, secret, events, created_at FROM webhook_subscription WHERE id = ?", List.of(id)).stream().findFirst();
    }

    @Override
    public synchronized List<WebhookSubscription> subscriptions() {
        return query("SELECT id, url, secret, events, created_at FROM webhook_subscription ORDER BY created_at, id", List.of());
    }

    @Override
    public synchronized boolean delete(String id) {
        int[] removed = {0};
        SegmentSqlite.inTransaction(db, "delete webhook", () -> {
            removed[0] = execute("DELETE FROM webhook_subscription WHERE id = ?", id);
            execute("DELETE FROM webhook_delivery WHERE subscription_id = ? AND status = 'PENDING'", id);
        });
        return removed[0] > 0;
    }

    @Override
    public synchronized Optional<Long> cursor(String source) {
        try (PreparedStatement q = db.prepareStatement("SELECT position FROM webhook_cursor WHERE source = ?")) {
            q.setString(1, source);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read webhook cursor", e);
        }
    }

    @Override
    public synchronized void enqueue(List<NewDelivery> deliveries, String source, long cursor) {
        SegmentSqlite.inTransaction(db, "queue webhook deliveries", () -> {
            try (PreparedStatement ins = db.prepareStatement("INSERT INTO webhook_delivery(subscription_id, event_id, event_type, body, "
                    + "attempts, status, next_attempt_at, updated_at) VALUES (?, ?, ?, ?, 0, 'PENDING', ?, ?)")) {
                for (NewDelivery d : deliveries) {
                    ins.setString(1, d.subscriptionId());
                    ins.setString(2, d.eventId());
                    ins.setString(3, d.eventType());
                    ins.setString(4, d.body());
                    ins.setLong(5, d.dueAt().toEpochMilli());
                    ins.setLong(6, d.dueAt().toEpochMilli());
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            execute("INSERT INTO webhook_cursor(source, position) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET position = excluded.position",
                    source, cursor);
        });
    }

    @Override
    public synchronized List<Delivery> due(Instant now, int limit) {
        return deliveries("WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?", now.toEpochMilli(), limit);
    }

    @Override
    public synchronized void attempted(long deliveryId, int attempts, Outcome outcome, Optional<Instant> nextAttempt, Instant now) {
        String status = outcome.delivered() ? "DELIVERED" : nextAttempt.isPresent() ? "PENDING" : "DEAD";
        update("record webhook attempt", "UPDATE webhook_delivery SET attempts = ?, status = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?",
                attempts, status, nextAttempt.orElse(now).toEpochMilli(), outcome.error().orElse(null), now.toEpochMilli(), deliveryId);
    }

    @Override
    public synchronized List<Delivery> deadLetters(int limit) {
        return deliveries("WHERE status = 'DEAD' ORDER BY updated_at DESC, id DESC LIMIT ?", limit);
    }

    @Override
    public synchronized boolean revive(long deliveryId, Instant now) {
        try {
            return execute("UPDATE webhook_delivery SET status = 'PENDING', attempts = 0, next_attempt_at = ?, updated_at = ? "
                    + "WHERE id = ? AND status = 'DEAD'", now.toEpochMilli(), now.toEpochMilli(), deliveryId) > 0;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("revive webhook delivery", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw SegmentSqlite.failure("close", e);
        }
    }

    private List<Delivery> deliveries(String where, Object... args) {
        String sql = "SELECT id, subscription_id, event_id, event_type, body, attempts, status, next_attempt_at, last_error, updated_at "
                + "FROM webhook_delivery " + where;
        try (PreparedStatement q = db.prepareStatement(sql)) {
            bind(q, args);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getInt(6), Status.valueOf(rs.getString(7)), Instant.ofEpochMilli(rs.getLong(8)),
                            Optional.ofNullable(rs.getString(9)), Instant.ofEpochMilli(rs.getLong(10))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read webhook deliveries", e);
        }
    }

    private List<WebhookSubscription> query(String sql, List<Object> args) {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            bind(q, args.toArray());
            List<WebhookSubscription> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String events = rs.getString(4);
                    out.add(new WebhookSubscription(rs.getString(1), rs.getString(2), rs.getString(3),
                            events.isEmpty() ? java.util.Set.of() : new LinkedHashSet<>(Arrays.asList(events.split(","))),
                            Instant.ofEpochMilli(rs.getLong(5))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read webhooks", e);
        }
    }

    private void update(String what, String sql, Object... args) {
        try {
            execute(sql, args);
        } catch (SQLException e) {
            throw SegmentSqlite.failure(what, e);
        }
    }

    private int execute(String sql, Object... args) throws SQLException {
        try (PreparedStatement u = db.prepareStatement(sql)) {
            bind(u, args);
            return u.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
    }
}
