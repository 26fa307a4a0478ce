package io.tessera.store.postgres;

import io.tessera.webhook.WebhookStore;
import io.tessera.webhook.WebhookSubscription;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Outbound webhooks in PostgreSQL (migration {@code V31__webhooks_blocks.sql}), shared by the nodes
 * of a cluster, each of which runs a dispatcher:
 * <ul>
 *   <li>{@link #enqueue} inserts a delivery once per (subscription, event) ({@code ON CONFLICT DO
 *       NOTHING}), so two nodes that fan out the same range of a source queue it once, and only
 *       moves a source's cursor forward;</li>
 *   <li>{@link #due} leases what it hands out: the rows are taken with {@code FOR UPDATE SKIP LOCKED}
 *       and their due time pushed {@value #LEASE_SECONDS} s ahead in the same transaction, so another
 *       node does not send them too; {@link #attempted} then records the real outcome. A node that
 *       dies mid-send leaves the delivery due again when the lease ends (at-least-once, as webhooks are).</li>
 * </ul>
 * Thread-safe; does not own the {@link PostgresDatabase}.
 */
public final class PostgresWebhookStore implements WebhookStore {
    static final int LEASE_SECONDS = 60;
    private static final String DELIVERY_COLUMNS =
            "id, subscription_id, event_id, event_type, body, attempts, status, next_attempt_at, last_error, updated_at";

    private final PostgresDatabase db;

    public PostgresWebhookStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void save(WebhookSubscription s) {
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO webhook_subscription(id, url, secret, events, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET url = excluded.url, secret = excluded.secret, events = excluded.events,
                      created_at = excluded.created_at""")) {
                p.setString(1, s.id());
                p.setString(2, s.url());
                p.setString(3, s.secret());
                p.setString(4, String.join(",", s.events().stream().sorted().toList()));
                p.setLong(5, s.createdAt().toEpochMilli());
                return p.executeUpdate();
            }
        });
    }

    @Override
    public Optional<WebhookSubscription> subscription(String id) {
        return subscriptions("WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<WebhookSubscription> subscriptions() {
        return subscriptions("ORDER BY created_at, id");
    }

    @Override
    public boolean delete(String id) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM webhook_subscription WHERE id = ?");
                 PreparedStatement d = c.prepareStatement("DELETE FROM webhook_delivery WHERE subscription_id = ? AND status = 'PENDING'")) {
                s.setString(1, id);
                d.setString(1, id);
                d.executeUpdate();
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Optional<Long> cursor(String source) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT position FROM webhook_cursor WHERE source = ?")) {
                s.setString(1, source);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
                }
            }
        });
    }

    @Override
    public void enqueue(List<NewDelivery> deliveries, String source, long cursor) {
        db.write(c -> {
            try (PreparedStatement ins = c.prepareStatement("""
                    INSERT INTO webhook_delivery(subscription_id, event_id, event_type, body, attempts, status, next_attempt_at, updated_at)
                    VALUES (?, ?, ?, ?, 0, 'PENDING', ?, ?) ON CONFLICT (subscription_id, event_id) DO NOTHING""");
                 PreparedStatement cur = c.prepareStatement("""
                    INSERT INTO webhook_cursor(source, position) VALUES (?, ?)
                    ON CONFLICT (source) DO UPDATE SET position = greatest(webhook_cursor.position, excluded.position)""")) {
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
                cur.setString(1, source);
                cur.setLong(2, cursor);
                return cur.executeUpdate();
            }
        });
    }

    @Override
    public List<Delivery> due(Instant now, int limit) {
        return db.write(c -> {
            List<Delivery> out;
            try (PreparedStatement s = c.prepareStatement("SELECT " + DELIVERY_COLUMNS + """
                     FROM webhook_delivery WHERE status = 'PENDING' AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED""")) {
                s.setLong(1, now.toEpochMilli());
                s.setInt(2, limit);
                out = deliveries(s);
            }
            try (PreparedStatement lease = c.prepareStatement("UPDATE webhook_delivery SET next_attempt_at = ? WHERE id = ?")) {
                for (Delivery d : out) {
                    lease.setLong(1, now.plus(Duration.ofSeconds(LEASE_SECONDS)).toEpochMilli());
                    lease.setLong(2, d.id());
                    lease.addBatch();
                }
                lease.executeBatch();
            }
            return out;
        });
    }

    @Override
    public void attempted(long deliveryId, int attempts, Outcome outcome, Optional<Instant> nextAttempt, Instant now) {
        String status = outcome.delivered() ? "DELIVERED" : nextAttempt.isPresent() ? "PENDING" : "DEAD";
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE webhook_delivery SET attempts = ?, status = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?")) {
                s.setInt(1, attempts);
                s.setString(2, status);
                s.setLong(3, nextAttempt.orElse(now).toEpochMilli());
                s.setString(4, outcome.error().orElse(null));
                s.setLong(5, now.toEpochMilli());
                s.setLong(6, deliveryId);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public List<Delivery> deadLetters(int limit) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + DELIVERY_COLUMNS
                    + " FROM webhook_delivery WHERE status = 'DEAD' ORDER BY updated_at DESC, id DESC LIMIT ?")) {
                s.setInt(1, limit);
                return deliveries(s);
            }
        });
    }

    @Override
    public boolean revive(long deliveryId, Instant now) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE webhook_delivery SET status = 'PENDING', attempts = 0, "
                    + "next_attempt_at = ?, updated_at = ? WHERE id = ? AND status = 'DEAD'")) {
                s.setLong(1, now.toEpochMilli());
                s.setLong(2, now.toEpochMilli());
                s.setLong(3, deliveryId);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void close() {
        // the database is shared and closed by its owner
    }

    private List<WebhookSubscription> subscriptions(String where, String... args) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, url, secret, events, created_at FROM webhook_subscription " + where)) {
                for (int i = 0; i < args.length; i++) {
                    s.setString(i + 1, args[i]);
                }
                List<WebhookSubscription> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String events = rs.getString(4);
                        out.add(new WebhookSubscription(rs.getString(1), rs.getString(2), rs.getString(3),
                                events.isEmpty() ? java.util.Set.of() : new LinkedHashSet<>(Arrays.asList(events.split(","))),
                                Instant.ofEpochMilli(rs.getLong(5))));
                    }
                }
                return out;
            }
        });
    }

    private static List<Delivery> deliveries(PreparedStatement s) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6), Status.valueOf(rs.getString(7)), Instant.ofEpochMilli(rs.getLong(8)),
                        Optional.ofNullable(rs.getString(9)), Instant.ofEpochMilli(rs.getLong(10))));
            }
        }
        return out;
    }
}
