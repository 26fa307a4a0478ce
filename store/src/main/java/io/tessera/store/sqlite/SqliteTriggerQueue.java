package io.tessera.store.sqlite;

import io.tessera.delivery.campaign.TriggerQueue;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pending triggered sends in SQLite: table {@code trigger_due}, primary key (campaign, profile,
 * entry time), indexed by due time. One connection under this object's monitor; thread-safe.
 */
public final class SqliteTriggerQueue implements TriggerQueue {

    private final Connection c;

    public SqliteTriggerQueue(Path dbFile) {
        this.c = SqliteDelivery.open(dbFile, false);
        SqliteDelivery.execute(c, """
                CREATE TABLE IF NOT EXISTS trigger_due (
                  campaign TEXT NOT NULL, profile_id TEXT NOT NULL, entered_at INTEGER NOT NULL, due_at INTEGER NOT NULL,
                  PRIMARY KEY (campaign, profile_id, entered_at)) WITHOUT ROWID""",
                "CREATE INDEX IF NOT EXISTS trigger_due_at ON trigger_due(due_at)");
    }

    @Override
    public synchronized void schedule(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO trigger_due VALUES (?,?,?,?)")) {
            c.setAutoCommit(false);
            for (Entry e : entries) {
                ps.setString(1, e.campaign());
                ps.setString(2, e.profileId());
                ps.setLong(3, e.entered().toEpochMilli());
                ps.setLong(4, e.due().toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException e) {
            rollback();
            throw SqliteDelivery.failure("trigger schedule", e);
        } finally {
            autoCommit();
        }
    }

    @Override
    public synchronized List<Entry> dueBy(Instant now, int limit) {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT campaign, profile_id, entered_at, due_at FROM trigger_due "
                + "WHERE due_at <= ? ORDER BY due_at, campaign, profile_id LIMIT ?")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                            Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SqliteDelivery.failure("trigger due", e);
        }
    }

    @Override
    public synchronized Optional<Instant> next() {
        try (PreparedStatement ps = c.prepareStatement("SELECT min(due_at) FROM trigger_due");
             ResultSet rs = ps.executeQuery()) {
            long v = rs.next() ? rs.getLong(1) : 0;
            return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
        } catch (SQLException e) {
            throw SqliteDelivery.failure("trigger next", e);
        }
    }

    @Override
    public synchronized void reschedule(Entry entry, Instant due) {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE trigger_due SET due_at=? WHERE campaign=? AND profile_id=? AND entered_at=?")) {
            ps.setLong(1, due.toEpochMilli());
            bindKey(ps, 2, entry);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw SqliteDelivery.failure("trigger reschedule", e);
        }
    }

    @Override
    public synchronized void remove(Entry entry) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM trigger_due WHERE campaign=? AND profile_id=? AND entered_at=?")) {
            bindKey(ps, 1, entry);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw SqliteDelivery.failure("trigger remove", e);
        }
    }

    @Override
    public synchronized long pending(String campaign) {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM trigger_due WHERE campaign=?")) {
            ps.setString(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw SqliteDelivery.failure("trigger pending", e);
        }
    }

    private static void bindKey(PreparedStatement ps, int first, Entry e) throws SQLException {
        ps.setString(first, e.campaign());
        ps.setString(first + 1, e.profileId());
        ps.setLong(first + 2, e.entered().toEpochMilli());
    }

    private void rollback() {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the failure being reported is the one that matters
        }
    }

    private void autoCommit() {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw SqliteDelivery.failure("trigger autocommit", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw SqliteDelivery.failure("trigger close", e);
        }
    }
}
