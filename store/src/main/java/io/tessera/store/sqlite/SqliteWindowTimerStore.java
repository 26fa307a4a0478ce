package io.tessera.store.sqlite;

import io.tessera.segment.WindowTimerStore;
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
 * Window timers in SQLite: one row per profile, indexed by due time. The embedded log has one
 * partition, so every timer is filed under partition 0 (partitions given to {@link #apply} are
 * ignored) and only partition 0 has due timers. Thread-safe (synchronized).
 */
public final class SqliteWindowTimerStore implements WindowTimerStore {
    private final Connection db;
    private final PreparedStatement upsert;
    private final PreparedStatement delete;
    private final PreparedStatement select;
    private final PreparedStatement due;
    private final PreparedStatement next;
    private final PreparedStatement ofProfiles;
    private final PreparedStatement upsertMany;
    private final PreparedStatement deleteMany;

    public SqliteWindowTimerStore(Path dbFile) {
        this.db = SegmentSqlite.open(dbFile,
                "CREATE TABLE IF NOT EXISTS segment_timer (profile_id TEXT PRIMARY KEY, due_at INTEGER NOT NULL)",
                "CREATE INDEX IF NOT EXISTS segment_timer_due ON segment_timer(due_at)");
        try {
            upsert = db.prepareStatement("INSERT INTO segment_timer(profile_id, due_at) VALUES (?, ?) "
                    + "ON CONFLICT(profile_id) DO UPDATE SET due_at = excluded.due_at");
            delete = db.prepareStatement("DELETE FROM segment_timer WHERE profile_id = ?");
            upsertMany = db.prepareStatement("INSERT INTO segment_timer(profile_id, due_at) "
                    + "SELECT value ->> 0, value ->> 1 FROM json_each(?) WHERE true "
                    + "ON CONFLICT(profile_id) DO UPDATE SET due_at = excluded.due_at");
            deleteMany = db.prepareStatement("DELETE FROM segment_timer WHERE profile_id IN (SELECT value FROM json_each(?))");
            select = db.prepareStatement("SELECT due_at FROM segment_timer WHERE profile_id = ?");
            due = db.prepareStatement("SELECT profile_id, due_at FROM segment_timer WHERE due_at <= ? ORDER BY due_at LIMIT ?");
            ofProfiles = db.prepareStatement("SELECT profile_id, due_at FROM segment_timer WHERE profile_id IN (SELECT value FROM json_each(?))");
            next = db.prepareStatement("SELECT MIN(due_at) FROM segment_timer");
        } catch (SQLException e) {
            throw SegmentSqlite.failure("prepare", e);
        }
    }

    private static long micros(Instant t) {
        return Math.multiplyExact(t.getEpochSecond(), 1_000_000L) + t.getNano() / 1_000;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    @Override
    public synchronized void schedule(String profileId, Instant dueAt) {
        try {
            upsert.setString(1, profileId);
            upsert.setLong(2, dueMicros(dueAt));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw SegmentSqlite.failure("schedule", e);
        }
    }

    /** Rounded up to the microsecond so a timer never fires before its exact instant. */
    private static long dueMicros(Instant dueAt) {
        return micros(dueAt) + (dueAt.getNano() % 1_000 == 0 ? 0 : 1);
    }

    @Override
    public synchronized void apply(java.util.Map<String, Optional<Instant>> updates, java.util.Map<String, Integer> partitions) {
        if (updates.isEmpty()) {
            return;
        }
        List<Object[]> set = new ArrayList<>();
        List<String> cancelled = new ArrayList<>();
        updates.forEach((id, due) -> {
            if (due.isPresent()) {
                set.add(new Object[] {id, dueMicros(due.get())});
            } else {
                cancelled.add(id);
            }
        });
        SegmentSqlite.inTransaction(db, "apply timers", () -> {
            if (!cancelled.isEmpty()) {
                deleteMany.setString(1, SegmentSqlite.jsonArray(cancelled));
                deleteMany.executeUpdate();
            }
            if (!set.isEmpty()) {
                upsertMany.setString(1, SegmentSqlite.jsonRows(set));
                upsertMany.executeUpdate();
            }
        });
    }

    @Override
    public synchronized void cancel(String profileId) {
        try {
            delete.setString(1, profileId);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw SegmentSqlite.failure("cancel", e);
        }
    }

    @Override
    public synchronized Optional<Instant> scheduled(String profileId) {
        try {
            select.setString(1, profileId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(instant(rs.getLong(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read timer", e);
        }
    }

    @Override
    public synchronized java.util.Map<String, Instant> scheduled(java.util.Collection<String> profileIds) {
        try {
            ofProfiles.setString(1, SegmentSqlite.jsonArray(profileIds));
            java.util.Map<String, Instant> out = new java.util.HashMap<>();
            try (ResultSet rs = ofProfiles.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), instant(rs.getLong(2)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read timers", e);
        }
    }

    @Override
    public synchronized List<WindowTimer> due(Instant now, int limit) {
        try {
            due.setLong(1, micros(now));
            due.setInt(2, limit);
            List<WindowTimer> out = new ArrayList<>();
            try (ResultSet rs = due.executeQuery()) {
                while (rs.next()) {
                    out.add(new WindowTimer(rs.getString(1), instant(rs.getLong(2))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("due timers", e);
        }
    }

    @Override
    public synchronized List<WindowTimer> due(Instant now, int limit, java.util.Set<Integer> partitions) {
        return partitions.contains(0) ? due(now, limit) : List.of();
    }

    @Override
    public synchronized Optional<Instant> next() {
        try (ResultSet rs = next.executeQuery()) {
            long v = rs.getLong(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(instant(v));
        } catch (SQLException e) {
            throw SegmentSqlite.failure("next timer", e);
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
}
