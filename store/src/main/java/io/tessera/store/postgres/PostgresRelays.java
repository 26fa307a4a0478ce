package io.tessera.store.postgres;

import io.tessera.event.EventCodec;
import io.tessera.profile.ProfileStore.Relay;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The profile engine's relay records in PostgreSQL (migration {@code V47__profile_relays.sql}):
 * the outbox of records a commit decided ({@code profile_relays}) and the keys of the records a
 * commit applied ({@code profile_relays_applied}). Used by {@link PostgresProfileStore} inside its
 * transactions. Thread-safe (stateless).
 */
final class PostgresRelays {
    private final EventCodec events = new EventCodec();

    /** In the commit's transaction: the outbox rows (kept if already there), then the applied keys (a key applied twice fails the commit). */
    void save(Connection c, List<Relay> relays, Set<String> applied) throws SQLException {
        if (!relays.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO profile_relays(message_id, log_partition, route_key, body) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING")) {
                for (Relay r : relays) {
                    s.setString(1, r.messageId());
                    s.setInt(2, r.partition());
                    s.setString(3, r.key());
                    s.setBytes(4, events.encode(r.record()));
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        if (!applied.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO profile_relays_applied(relay_key) VALUES (?)")) {
                for (String key : new java.util.TreeSet<>(applied)) {
                    s.setString(1, key);
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
    }

    List<Relay> pending(Connection c, int partition) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT message_id, route_key, body FROM profile_relays WHERE log_partition = ? ORDER BY message_id")) {
            s.setInt(1, partition);
            List<Relay> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Relay(rs.getString(1), partition, rs.getString(2), events.decode(rs.getBytes(3))));
                }
            }
            return out;
        }
    }

    void sent(Connection c, Collection<String> messageIds) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM profile_relays WHERE message_id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", messageIds.toArray()));
            s.executeUpdate();
        }
    }

    boolean applied(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM profile_relays_applied WHERE relay_key = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }
}
