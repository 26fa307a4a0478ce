package io.tessera.store.sqlite;

import io.tessera.segment.WindowTimerStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Window timers in SQLite, log first, with the due-time order in memory.
 *
 * <p><b>Implementation notes.</b> The table {@code segment_timer_log(seq, profile_id, due_at)} is
 * append-only: every move of a timer is a new row at the next sequence number (the rowid, so an
 * append writes the table's last page, never a random one), a cancel is a row with a null
 * {@code due_at}, and a profile's timer is its row with the highest sequence. In memory: each
 * profile's live timer (due time and sequence) and the due order ({@code (due, profile)} sorted),
 * which answer every read, and the sequences of the rows that a later row of the same profile
 * superseded (the garbage). Superseded rows are deleted lazily, lowest sequence first, in the same
 * transaction as a later append, and only while there are more than {@link #slack()} of them: the
 * oldest pages then hold many dead rows each, so a page is rewritten once for many deletions
 * instead of once per moved timer. Deleting in sequence order keeps the table correct at every
 * commit: a row is deleted only after (or with) every older row of its profile, so "the highest
 * sequence per profile" never resurrects an old timer, and a cancel row is deleted only once
 * nothing older of its profile remains. At open the table is read in sequence order (last row per
 * profile wins).
 *
 * <p>Why: the keyed table this replaces ({@code segment_timer}, one row per profile) cost a random
 * B-tree update per moved timer, at 1M profiles the largest part of the segment writer's time per
 * event (SegmentBench, JFR; docs/BENCHMARKS.md "Segments: timers written behind"). A table left
 * by an older version is folded into the log at open.
 *
 * <p>Writes that change nothing are not written: a timer moved to the instant it already has, and
 * a cancel of a profile without a timer (a timer set and cleared within one group commit never
 * reaches SQLite: the writer keeps each profile's last value). Memory: ~150 bytes a timer. Assumes
 * one store object per database file (the composition root opens one). The embedded log has one
 * partition, so every timer is filed under partition 0 (partitions given to {@link #apply} are
 * ignored) and only partition 0 has due timers.
 *
 * <p><b>Threading.</b> Writes are serialized on {@code writing} and run their SQLite transaction
 * without the store's monitor; the in-memory view is changed under the monitor after the commit,
 * and every read takes only the monitor. So the engine's reads (under its lock: the timer runner's
 * {@link #due}, a state load's {@link #scheduled}) never wait for a commit in progress on the
 * writer's thread (they did: SegmentBench, JFR).
 */
public final class SqliteWindowTimerStore implements WindowTimerStore {
    private final Connection db;
    /** The WAL is checkpointed off the writer's thread (this connection checkpoints never). */
    private final WalCheckpoints checkpoints;
    private final Map<Integer, PreparedStatement> appends = new HashMap<>();
    private final PreparedStatement deleteMany;
    private final TreeSet<Due> order = new TreeSet<>();
    /** Each profile's timer row: due micros (or {@link #CANCELLED}) and its sequence. */
    private final Map<String, Row> byProfile = new HashMap<>();
    /** Sequences of superseded rows still in the table. */
    private final TreeSet<Long> garbage = new TreeSet<>();
    /** Cancel rows still in the table: sequence → profile. */
    private final Map<Long, String> tombstones = new HashMap<>();
    private long live;
    private long maxSeq;
    /** Held by a write for its whole transaction; the monitor only while the in-memory view changes. */
    private final Object writing = new Object();
    private static final long CANCELLED = Long.MIN_VALUE;

    private record Row(long micros, long seq) {}

    public SqliteWindowTimerStore(Path dbFile) {
        this(dbFile, SegmentSqlite.BUSY_TIMEOUT);
    }

    /** @param busyTimeout how long a write waits for another connection's lock before it fails (the segment writer retries it) */
    public SqliteWindowTimerStore(Path dbFile, java.time.Duration busyTimeout) {
        this.db = SegmentSqlite.open(dbFile, busyTimeout,
                "CREATE TABLE IF NOT EXISTS segment_timer_log (seq INTEGER PRIMARY KEY, profile_id TEXT NOT NULL, due_at INTEGER)");
        SegmentSqlite.withoutAutoCheckpoint(db);
        this.checkpoints = WalCheckpoints.acquire(dbFile, busyTimeout);
        try {
            deleteMany = db.prepareStatement("DELETE FROM segment_timer_log WHERE seq IN (SELECT value FROM json_each(?))");
        } catch (SQLException e) {
            throw SegmentSqlite.failure("prepare", e);
        }
        foldKeyedTable();
        try (Statement all = db.createStatement();
             ResultSet rs = all.executeQuery("SELECT seq, profile_id, due_at FROM segment_timer_log ORDER BY seq")) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                String profileId = rs.getString(2);
                long due = rs.getLong(3);
                remember(profileId, rs.wasNull() ? CANCELLED : due, seq);
                maxSeq = seq;
            }
        } catch (SQLException e) {
            throw SegmentSqlite.failure("load timers", e);
        }
    }

    /** A database from before the log: its keyed timers become the first rows of the log. */
    private void foldKeyedTable() {
        boolean keyed;
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'segment_timer'")) {
            keyed = rs.next();
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read schema", e);
        }
        if (keyed) {
            SegmentSqlite.inTransaction(db, "fold keyed timers", () -> {
                try (Statement s = db.createStatement()) {
                    s.executeUpdate("INSERT INTO segment_timer_log(profile_id, due_at) SELECT profile_id, due_at FROM segment_timer");
                    s.executeUpdate("DROP TABLE segment_timer");
                }
            });
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

    /** Records a durable row as the profile's timer; the row it supersedes becomes garbage. */
    private void remember(String profileId, long micros, long seq) {
        Row old = byProfile.put(profileId, new Row(micros, seq));
        if (old != null) {
            if (old.micros() == CANCELLED) {
                tombstones.remove(old.seq());
            } else {
                garbage.add(old.seq());
                order.remove(new Due(old.micros(), profileId));
                live--;
            }
        }
        if (micros != CANCELLED) {
            order.add(new Due(micros, profileId));
            live++;
        } else {
            // A cancel row is garbage at once: the sweep deletes in sequence order, so it goes
            // only with or after every older row of its profile (which all are garbage now).
            garbage.add(seq);
            tombstones.put(seq, profileId);
        }
    }

    /** After the deletion of {@code seq} is durable. */
    private void swept(long seq) {
        garbage.remove(seq);
        String cancelled = tombstones.remove(seq);
        if (cancelled != null) {
            byProfile.remove(cancelled);
        }
    }

    /** Superseded rows tolerated before deleting: about half the live timers, at least 50,000. */
    private long slack() {
        return Math.max(50_000, live / 2);
    }

    private static long micros(Instant t) {
        return Math.multiplyExact(t.getEpochSecond(), 1_000_000L) + t.getNano() / 1_000;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** Rounded up to the microsecond so a timer never fires before its exact instant. */
    private static long dueMicros(Instant dueAt) {
        return micros(dueAt) + (dueAt.getNano() % 1_000 == 0 ? 0 : 1);
    }

    @Override
    public void schedule(String profileId, Instant dueAt) {
        apply(Map.of(profileId, Optional.of(dueAt)), Map.of());
    }

    @Override
    public void cancel(String profileId) {
        apply(Map.of(profileId, Optional.empty()), Map.of());
    }

    @Override
    public void apply(Map<String, Optional<Instant>> updates, Map<String, Integer> partitions) {
        synchronized (writing) {
            write(updates);
        }
    }

    /** Under {@code writing}: only this thread changes the view, so it reads it without the monitor. */
    private void write(Map<String, Optional<Instant>> updates) {
        List<Object[]> rows = new ArrayList<>();
        long seq = maxSeq;
        for (var u : updates.entrySet()) {
            Row current = byProfile.get(u.getKey());
            long micros = u.getValue().map(SqliteWindowTimerStore::dueMicros).orElse(CANCELLED);
            if (current == null ? micros == CANCELLED : current.micros() == micros) {
                continue;
            }
            rows.add(new Object[] {++seq, u.getKey(), micros == CANCELLED ? null : micros});
        }
        if (rows.isEmpty()) {
            return;
        }
        // Deleted from the lowest sequence up, never past a row the rows above supersede (see the class comment).
        long excess = garbage.size() + rows.size() - slack();
        List<Long> sweep = new ArrayList<>();
        if (excess > 0) {
            long n = Math.min(garbage.size(), Math.max(excess, 2L * rows.size() + 1_000));
            for (Long g : garbage) {
                if (sweep.size() >= n) {
                    break;
                }
                sweep.add(g);
            }
        }
        SegmentSqlite.inTransaction(db, "apply timers", () -> {
            SegmentSqlite.insertRows(db, appends, "INSERT INTO segment_timer_log(seq, profile_id, due_at)", "", 3, rows);
            if (!sweep.isEmpty()) {
                deleteMany.setString(1, sweep.toString());
                deleteMany.executeUpdate();
            }
        });
        // Durable: now the in-memory view.
        synchronized (this) {
            sweep.forEach(this::swept);
            for (Object[] row : rows) {
                remember((String) row[1], row[2] == null ? CANCELLED : (Long) row[2], (Long) row[0]);
            }
        }
        maxSeq = seq;
    }

    @Override
    public synchronized Optional<Instant> scheduled(String profileId) {
        Row r = byProfile.get(profileId);
        return r == null || r.micros() == CANCELLED ? Optional.empty() : Optional.of(instant(r.micros()));
    }

    @Override
    public synchronized Map<String, Instant> scheduled(java.util.Collection<String> profileIds) {
        Map<String, Instant> out = new HashMap<>();
        for (String id : profileIds) {
            Row r = byProfile.get(id);
            if (r != null && r.micros() != CANCELLED) {
                out.put(id, instant(r.micros()));
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

    /** Rows in the table (live, cancelled and superseded): for tests of the sweep. */
    long rows() {
        synchronized (writing) {
            return count();
        }
    }

    private long count() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM segment_timer_log")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("count timer rows", e);
        }
    }

    @Override
    public void close() {
        synchronized (writing) {
            closeConnection();
        }
    }

    private void closeConnection() {
        checkpoints.close();
        try {
            db.close();
        } catch (SQLException e) {
            throw SegmentSqlite.failure("close", e);
        }
    }
}
