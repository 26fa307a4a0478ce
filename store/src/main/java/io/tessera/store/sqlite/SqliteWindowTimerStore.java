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
 * Window timers in SQLite, with the due-time order in memory: one row per profile
 * ({@code segment_timer}, keyed by profile only), and a sorted set of (due, profile) loaded from it
 * at open and kept in step with every write, which answers {@link #due} and {@link #next}. The
 * table is the durable copy a restart reloads; the order lives in memory because a second B-tree
 * on the due time cost a random index update per rescheduled timer, on the write path of every
 * event (SegmentBench, docs/BENCHMARKS.md "Segments"). Memory: ~100 bytes a timer. Assumes one
 * store object per database file (the composition root opens one). The embedded log has one
 * partition, so every timer is filed under partition 0 (partitions given to {@link #apply} are
 * ignored) and only partition 0 has due timers. Thread-safe (synchronized).
 */
public final class SqliteWindowTimerStore implements WindowTimerStore {
    private final Connection db;
    private final PreparedStatement upsert;
    private final PreparedStatement delete;
    private final java.util.Map<Integer, PreparedStatement> upserts = new java.util.HashMap<>();
    private final java.util.TreeSet<Due> order = new java.util.TreeSet<>();
    private final java.util.Map<String, Long> byProfile = new java.util.HashMap<>();
    private final PreparedStatement deleteMany;

    public SqliteWindowTimerStore(Path dbFile) {
        this.db = SegmentSqlite.open(dbFile,
                "CREATE TABLE IF NOT EXISTS segment_timer (profile_id TEXT PRIMARY KEY, due_at INTEGER NOT NULL)",
                "DROP INDEX IF EXISTS segment_timer_due");
        try {
            upsert = db.prepareStatement("INSERT INTO segment_timer(profile_id, due_at) VALUES (?, ?) "
                    + "ON CONFLICT(profile_id) DO UPDATE SET due_at = excluded.due_at");
            delete = db.prepareStatement("DELETE FROM segment_timer WHERE profile_id = ?");
            deleteMany = db.prepareStatement("DELETE FROM segment_timer WHERE profile_id IN (SELECT value FROM json_each(?))");
        } catch (SQLException e) {
            throw SegmentSqlite.failure("prepare", e);
        }
        try (java.sql.Statement all = db.createStatement(); ResultSet rs = all.executeQuery("SELECT profile_id, due_at FROM segment_timer")) {
            while (rs.next()) {
                remember(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw SegmentSqlite.failure("load timers", e);
        }
    }

    /** One timer in due order (then by profile, so two timers due at once are both kept). */
    private record Due(long micros, String profileId) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(micros, o.micros);
            return c != 0 ? c : profileId.compareTo(o.profileId);
        }
    }

    private void remember(String profileId, long micros) {
        Long old = byProfile.put(profileId, micros);
        if (old != null) {
            order.remove(new Due(old, profileId));
        }
        order.add(new Due(micros, profileId));
    }

    private void forget(String profileId) {
        Long old = byProfile.remove(profileId);
        if (old != null) {
            order.remove(new Due(old, profileId));
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
            remember(profileId, dueMicros(dueAt));
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
                SegmentSqlite.insertRows(db, upserts, "INSERT INTO segment_timer(profile_id, due_at)",
                        "ON CONFLICT(profile_id) DO UPDATE SET due_at = excluded.due_at", 2, set);
            }
        });
        cancelled.forEach(this::forget);
        set.forEach(row -> remember((String) row[0], (Long) row[1]));
    }

    @Override
    public synchronized void cancel(String profileId) {
        try {
            delete.setString(1, profileId);
            delete.executeUpdate();
            forget(profileId);
        } catch (SQLException e) {
            throw SegmentSqlite.failure("cancel", e);
        }
    }

    @Override
    public synchronized Optional<Instant> scheduled(String profileId) {
        return Optional.ofNullable(byProfile.get(profileId)).map(SqliteWindowTimerStore::instant);
    }

    @Override
    public synchronized java.util.Map<String, Instant> scheduled(java.util.Collection<String> profileIds) {
        java.util.Map<String, Instant> out = new java.util.HashMap<>();
        for (String id : profileIds) {
            Long due = byProfile.get(id);
            if (due != null) {
                out.put(id, instant(due));
            }
        }
        return out;
    }

    @Override
    public synchronized List<WindowTimer> due(Instant now, int limit) {
        long until = micros(now);
        List<WindowTimer> out = new ArrayList<>();
        for (Due d : order) {
            if (d.micros() > until || out.size() >= limit) {
                break;
            }
            out.add(new WindowTimer(d.profileId(), instant(d.micros())));
        }
        return out;
    }

    @Override
    public synchronized List<WindowTimer> due(Instant now, int limit, java.util.Set<Integer> partitions) {
        return partitions.contains(0) ? due(now, limit) : List.of();
    }

    @Override
    public synchronized Optional<Instant> next() {
        return order.isEmpty() ? Optional.empty() : Optional.of(instant(order.first().micros()));
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
