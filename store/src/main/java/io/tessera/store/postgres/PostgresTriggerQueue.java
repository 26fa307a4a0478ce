package io.tessera.store.postgres;

import io.tessera.delivery.campaign.TriggerQueue;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pending triggered sends in PostgreSQL (migration {@code V11__trigger_queue.sql}): primary key
 * (campaign, profile, entry time), indexed by due time. {@link #schedule} is one INSERT batch
 * ({@code ON CONFLICT DO NOTHING}: an entry already queued is kept as it is). Thread-safe; does not
 * own the {@link PostgresDatabase}.
 */
public final class PostgresTriggerQueue implements TriggerQueue {
    private final PostgresDatabase db;

    public PostgresTriggerQueue(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void schedule(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO trigger_due(campaign, profile_id, entered_at, due_at) "
                    + "VALUES (?,?,?,?) ON CONFLICT DO NOTHING")) {
                for (Entry e : entries) {
                    ps.setString(1, e.campaign());
                    ps.setString(2, e.profileId());
                    ps.setLong(3, e.entered().toEpochMilli());
                    ps.setLong(4, e.due().toEpochMilli());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<Entry> dueBy(Instant now, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT campaign, profile_id, entered_at, due_at FROM trigger_due "
                    + "WHERE due_at <= ? ORDER BY due_at, campaign, profile_id LIMIT ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setInt(2, limit);
                List<Entry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                                Instant.ofEpochMilli(rs.getLong(4))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<Instant> next() {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT min(due_at) FROM trigger_due")) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(v));
            }
        });
    }

    @Override
    public void reschedule(Entry entry, Instant due) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE trigger_due SET due_at = ? WHERE campaign = ? AND profile_id = ? AND entered_at = ?")) {
                ps.setLong(1, due.toEpochMilli());
                bindKey(ps, 2, entry);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void remove(Entry entry) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM trigger_due WHERE campaign = ? AND profile_id = ? AND entered_at = ?")) {
                bindKey(ps, 1, entry);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long pending(String campaign) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM trigger_due WHERE campaign = ?")) {
                ps.setString(1, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    private static void bindKey(PreparedStatement ps, int first, Entry e) throws SQLException {
        ps.setString(first, e.campaign());
        ps.setString(first + 1, e.profileId());
        ps.setLong(first + 2, e.entered().toEpochMilli());
    }

    /** Nothing to release: the pool belongs to the {@link PostgresDatabase}. */
    @Override
    public void close() {
    }
}
