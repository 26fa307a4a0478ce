package io.tessera.store.sqlite;

import io.tessera.segment.MembershipChange;
import io.tessera.segment.MembershipStore;
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

/**
 * Segment memberships in SQLite, log first: {@code segment_membership_log} (every enter and exit
 * with its cause, appended in sequence order and indexed by nothing else: {@link #changes} of one
 * profile is a scan, for diagnostics and tests) is what {@link #apply} writes, with
 * {@code segment_position} (the log offset per partition the memberships reflect) in the same
 * transaction. {@code segment_member} (current members, keyed by segment then profile, so members
 * pages and counts are index range scans, and indexed by profile) is materialized from the log
 * behind it: the net change per (segment, profile) since the last materialization is kept in
 * memory and written once it has not changed for {@value #SETTLE_MS} ms, by a sweep in profile-id
 * order, a slice every {@value #SWEEP_INTERVAL_MS} ms in the same transaction as a later append (so
 * the cost is spread over the commits, never a pause, and a slice's rows share B-tree pages), with
 * a log sequence from which replaying the log rebuilds every net change not yet
 * written ({@code segment_member_through}); and all of it before a count or members page, and at
 * close.
 *
 * <p>Why: a change written straight into {@code segment_member} is two random B-tree updates
 * (member, profile index) in tables of millions of rows, and each dirty page is a 4 KB WAL write
 * at every commit; at 10,000 events/s with ~5 changes an event that was the engine's limit
 * (SegmentBench, docs/BENCHMARKS.md "Segments"). An append is sequential, and the changes of
 * short windows (an enter and, seconds later, its exit) cancel out before they are materialized:
 * an exit of a row that was never written is a B-tree seek that dirties no page.
 * A restart (or a crash) loses nothing: at open the log after {@code segment_member_through} is
 * read back into the net changes.
 *
 * <p>Reads: {@link #memberships} read the net changes first, then the table (on a second
 * connection, never waiting for a commit); a materialization writes the table before it forgets
 * the net changes, so a read in between sees the same values twice, never a gap. One store object
 * per database file (the composition root opens one): another would not see this one's net
 * changes until they are materialized. Thread-safe:
 * writes and the other queries are synchronized on the store.
 */
public final class SqliteMembershipStore implements MembershipStore {
    private final Connection db;
    /** The WAL is checkpointed off the writer's thread (its connection checkpoints never). */
    private final WalCheckpoints checkpoints;
    /** Reads run on their own connection (WAL: they see the last commit and never wait for a write in progress). */
    private final Connection reader;
    private final Object reads = new Object();
    /** How long a profile's net changes must stay unchanged before they are written to the table, by default. */
    static final long SETTLE_MS = 30_000;
    private final long settleNanos;
    /** Net changes not yet in {@code segment_member} (see {@link NetChanges}). */
    private final NetChanges unmaterialized = new NetChanges();
    private static final long LEFT = NetChanges.LEFT;
    private long lastSweepNanos = System.nanoTime();
    /** At most one sweep slice this often (each slice is a few ms of B-tree writes in one commit). */
    static final long SWEEP_INTERVAL_MS = 50;
    /** Profiles one slice visits at most (so a slice stays a few ms even after a long pause). */
    static final int MAX_SWEEP_VISITS = 8_000;
    private long maxSeq;

    private final PreparedStatement ofProfile;
    private final PreparedStatement enter;
    private final PreparedStatement exit;
    private final PreparedStatement count;
    private final PreparedStatement members;
    private final PreparedStatement changes;
    private final PreparedStatement position;
    private final PreparedStatement ofProfiles;
    private final PreparedStatement throughStatement;
    private final Map<Integer, PreparedStatement> logStatements = new HashMap<>();
    private final Map<Integer, PreparedStatement> enterStatements = new HashMap<>();

    public SqliteMembershipStore(Path dbFile) {
        this(dbFile, java.time.Duration.ofMillis(SETTLE_MS));
    }

    /**
     * @param settle how long a profile's net changes wait, unchanged, before they are written to
     *               {@code segment_member} (30 s by default; zero writes them with the next commit)
     */
    public SqliteMembershipStore(Path dbFile, java.time.Duration settle) {
        this(dbFile, settle, SegmentSqlite.BUSY_TIMEOUT);
    }

    /**
     * @param busyTimeout how long a write waits for another connection's lock before it fails (10 s
     *                    by default; the segment writer retries a failed write)
     */
    public SqliteMembershipStore(Path dbFile, java.time.Duration settle, java.time.Duration busyTimeout) {
        this.settleNanos = settle.toNanos();
        this.db = SegmentSqlite.open(dbFile, busyTimeout,
                "CREATE TABLE IF NOT EXISTS segment_member (segment TEXT NOT NULL, profile_id TEXT NOT NULL, since INTEGER NOT NULL, "
                        + "PRIMARY KEY (segment, profile_id)) WITHOUT ROWID",
                "CREATE INDEX IF NOT EXISTS segment_member_profile ON segment_member(profile_id)",
                "CREATE TABLE IF NOT EXISTS segment_membership_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, segment TEXT NOT NULL, "
                        + "version INTEGER NOT NULL, profile_id TEXT NOT NULL, entered INTEGER NOT NULL, at INTEGER NOT NULL, cause TEXT NOT NULL)",
                // Nothing serves a profile's log on a hot path ({@link #changes} scans): an index on it
                // was a random B-tree insert per change on the write path (SegmentBench).
                "DROP INDEX IF EXISTS segment_membership_log_profile",
                "CREATE TABLE IF NOT EXISTS segment_position (log_partition INTEGER PRIMARY KEY, applied_through INTEGER NOT NULL)",
                "CREATE TABLE IF NOT EXISTS segment_member_through (id INTEGER PRIMARY KEY CHECK (id = 0), seq INTEGER NOT NULL)",
                // A database from before the log came first had its members written directly: all of its log is in them.
                "INSERT OR IGNORE INTO segment_member_through(id, seq) SELECT 0, COALESCE(MAX(seq), 0) FROM segment_membership_log");
        SegmentSqlite.withoutAutoCheckpoint(db);
        this.checkpoints = WalCheckpoints.acquire(dbFile, busyTimeout);
        this.reader = SegmentSqlite.open(dbFile, busyTimeout);
        try {
            ofProfile = reader.prepareStatement("SELECT segment, since FROM segment_member WHERE profile_id = ?");
            enter = db.prepareStatement("INSERT OR REPLACE INTO segment_member(segment, profile_id, since) "
                    + "SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)");
            exit = db.prepareStatement("DELETE FROM segment_member WHERE (segment, profile_id) IN "
                    + "(SELECT value ->> 0, value ->> 1 FROM json_each(?))");
            count = db.prepareStatement("SELECT COUNT(*) FROM segment_member WHERE segment = ?");
            members = db.prepareStatement("SELECT profile_id, since FROM segment_member WHERE segment = ? AND profile_id > ? ORDER BY profile_id LIMIT ?");
            position = db.prepareStatement("INSERT INTO segment_position(log_partition, applied_through) VALUES (?, ?) "
                    + "ON CONFLICT(log_partition) DO UPDATE SET applied_through = excluded.applied_through");
            ofProfiles = reader.prepareStatement("SELECT profile_id, segment, since FROM segment_member "
                    + "WHERE profile_id IN (SELECT value FROM json_each(?))");
            changes = db.prepareStatement("SELECT segment, version, profile_id, entered, at, cause FROM segment_membership_log WHERE profile_id = ? ORDER BY seq");
            throughStatement = db.prepareStatement("UPDATE segment_member_through SET seq = ? WHERE id = 0");
        } catch (SQLException e) {
            throw SegmentSqlite.failure("prepare", e);
        }
        replayUnmaterialized();
    }

    /** At open: the log written after the last materialization becomes the net changes again. */
    private void replayUnmaterialized() {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT seq FROM segment_member_through WHERE id = 0")) {
            maxSeq = rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read membership watermark", e);
        }
        long replayAfter = maxSeq;
        try (PreparedStatement q = db.prepareStatement("SELECT segment, profile_id, entered, at FROM segment_membership_log "
                + "WHERE seq > (SELECT seq FROM segment_member_through WHERE id = 0) ORDER BY seq");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                unmaterialized.record(rs.getString(2), rs.getString(1), rs.getInt(3) == 1 ? rs.getLong(4) : LEFT, replayAfter);
            }
        } catch (SQLException e) {
            throw SegmentSqlite.failure("replay membership log", e);
        }
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM segment_membership_log")) {
            maxSeq = Math.max(maxSeq, rs.next() ? rs.getLong(1) : 0);
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read membership log", e);
        }
    }

    /** Writes every unwritten net change, in its own transaction (under the monitor). */
    private void materialize() {
        if (unmaterialized.isEmpty()) {
            return;
        }
        List<String> all = unmaterialized.ids();
        checkpoints.write(db, "materialize memberships", () -> writeMembers(all, maxSeq));
        forget(all);
    }

    /**
     * One slice of the sweep, inside the caller's transaction: visits the unwritten profiles in
     * profile-id order from where the last slice stopped (wrapping around), about as many as make
     * one round of all of them take the settle time, and writes the net changes of those unchanged
     * for the settle time; returns what it wrote, for {@link #forget} after the commit. At most one
     * slice every {@link #SWEEP_INTERVAL_MS} ms (every commit when the settle time is zero).
     *
     * <p>Why in id order, and in slices 50 ms apart rather than a few rows with every commit: the
     * rows of one slice then lie in a narrow range of profile ids, so they share leaf pages of the
     * profile index and, per segment, of the primary key, and each page goes to the WAL once per
     * slice instead of once per commit that touched it. Picking the least recently changed profiles
     * at every commit wrote ~2 random 4 KB pages per row: 45 KB of WAL and checkpoint an event at
     * 1M profiles (SegmentBench, docs/BENCHMARKS.md "Segments live path, session 6").
     */
    private List<String> materializeSweep(long logged) throws SQLException {
        long now = System.nanoTime();
        long elapsed = now - lastSweepNanos;
        if (unmaterialized.isEmpty() || (settleNanos > 0 && elapsed < SWEEP_INTERVAL_MS * 1_000_000L)) {
            return List.of();
        }
        lastSweepNanos = now;
        int held = unmaterialized.size();
        long visits = settleNanos == 0 ? held
                : Math.min(MAX_SWEEP_VISITS, (long) Math.ceil(held * Math.min(1.0, elapsed / (double) settleNanos)));
        List<String> ids = unmaterialized.sweep(visits, now - settleNanos);
        if (!ids.isEmpty()) {
            writeMembers(ids, logged);
        }
        return ids;
    }

    /**
     * Writes the net changes of {@code ids} and the new replay watermark: the earliest first change
     * of what stays unwritten, at most {@code logged} (the log sequence before the changes not yet
     * recorded as net changes).
     */
    private void writeMembers(List<String> ids, long logged) throws SQLException {
        List<Object[]> entered = new ArrayList<>();
        List<Object[]> exited = new ArrayList<>();
        for (String profile : ids) {
            unmaterialized.of(profile).forEach((segment, since) -> {
                if (since == LEFT) {
                    exited.add(new Object[] {segment, profile});
                } else {
                    entered.add(new Object[] {segment, profile, since});
                }
            });
        }
        if (!exited.isEmpty()) {
            exit.setString(1, SegmentSqlite.jsonRows(exited));
            exit.executeUpdate();
            SegmentSqlite.releaseParameters(exit);
        }
        if (!entered.isEmpty()) {
            SegmentSqlite.insertRows(db, enterStatements, "INSERT OR REPLACE INTO segment_member(segment, profile_id, since)", "", 3, entered);
        }
        throughStatement.setLong(1, unmaterialized.watermark(ids, logged));
        throughStatement.executeUpdate();
    }

    /**
     * After the commit: a reader that saw these net changes before it sees the same rows in the
     * table now. (Only this store's writes change the net changes, one at a time under its
     * monitor, so they are still what was written.)
     */
    private void forget(List<String> written) {
        written.forEach(unmaterialized::remove);
    }

    private static long millis(Instant t) {
        return t.toEpochMilli();
    }

    @Override
    public Map<String, Instant> memberships(String profileId) {
        Map<String, Long> net = unmaterialized.of(profileId);
        Map<String, Instant> stored;
        synchronized (reads) {
            stored = membershipsOf(profileId);
        }
        return net == null ? stored : laid(stored, net);
    }

    private static Map<String, Instant> laid(Map<String, Instant> stored, Map<String, Long> net) {
        Map<String, Instant> m = new HashMap<>(stored);
        net.forEach((segment, since) -> {
            if (since == LEFT) {
                m.remove(segment);
            } else {
                m.put(segment, Instant.ofEpochMilli(since));
            }
        });
        return m;
    }

    private Map<String, Instant> membershipsOf(String profileId) {
        try {
            ofProfile.setString(1, profileId);
            Map<String, Instant> out = new HashMap<>();
            try (ResultSet rs = ofProfile.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read memberships", e);
        }
    }

    @Override
    public Map<String, Map<String, Instant>> memberships(java.util.Collection<String> profileIds) {
        Map<String, Map<String, Long>> net = unmaterialized.of(profileIds);
        Map<String, Map<String, Instant>> stored;
        synchronized (reads) {
            stored = membershipsOf(profileIds);
        }
        if (net.isEmpty()) {
            return stored;
        }
        Map<String, Map<String, Instant>> out = new HashMap<>(stored);
        net.forEach((id, n) -> {
            Map<String, Instant> m = laid(stored.getOrDefault(id, Map.of()), n);
            if (m.isEmpty()) {
                out.remove(id);
            } else {
                out.put(id, m);
            }
        });
        return out;
    }

    /**
     * The page's rows of these segments only, by primary key: a backfill of a new segment reads no
     * row at all, where {@link #memberships(java.util.Collection)} read every membership of the page
     * (3/4 of a backfill's time under the engine's lock: SegmentBench, docs/BENCHMARKS.md
     * "Segment backfill, session 6").
     */
    @Override
    public Map<String, Map<String, Instant>> memberships(java.util.Collection<String> profileIds, java.util.Set<String> segments) {
        Map<String, Map<String, Instant>> out = new HashMap<>();
        if (segments.isEmpty() || profileIds.isEmpty()) {
            return out;
        }
        Map<String, Map<String, Long>> net = unmaterialized.of(profileIds);
        synchronized (reads) {
            try (PreparedStatement s = reader.prepareStatement("SELECT profile_id, segment, since FROM segment_member "
                    + "WHERE segment IN (SELECT value FROM json_each(?)) AND profile_id IN (SELECT value FROM json_each(?))")) {
                s.setString(1, SegmentSqlite.jsonArray(segments));
                s.setString(2, SegmentSqlite.jsonArray(profileIds));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)));
                    }
                }
            } catch (SQLException e) {
                throw SegmentSqlite.failure("read memberships", e);
            }
        }
        net.forEach((id, n) -> {
            Map<String, Instant> m = laid(out.getOrDefault(id, Map.of()), n);
            m.keySet().retainAll(segments);
            if (m.isEmpty()) {
                out.remove(id);
            } else {
                out.put(id, m);
            }
        });
        return out;
    }

    private Map<String, Map<String, Instant>> membershipsOf(java.util.Collection<String> profileIds) {
        try {
            ofProfiles.setString(1, SegmentSqlite.jsonArray(profileIds));
            Map<String, Map<String, Instant>> out = new HashMap<>();
            try (ResultSet rs = ofProfiles.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read memberships", e);
        }
    }

    @Override
    public synchronized void apply(List<MembershipChange> list, Map<Integer, Long> appliedThrough) {
        long before = maxSeq;
        List<String> written = new ArrayList<>();
        checkpoints.write(db, "apply membership changes", () -> {
            for (var p : appliedThrough.entrySet()) {
                position.setInt(1, p.getKey());
                position.setLong(2, p.getValue());
                position.executeUpdate();
            }
            if (!list.isEmpty()) {
                List<Object[]> logged = new ArrayList<>(list.size());
                for (MembershipChange c : list) {
                    logged.add(new Object[] {c.segment(), c.version(), c.profileId(), c.entered() ? 1 : 0, millis(c.at()), c.cause()});
                }
                SegmentSqlite.insertRows(db, logStatements, "INSERT INTO segment_membership_log(segment, version, profile_id, entered, at, cause)",
                        "", 6, logged);
            }
            // A slice of the sweep rides along (see materializeSweep): a round of all unwritten
            // profiles takes about SETTLE_MS, so the unwritten set stays bounded by what changed
            // in twice that.
            written.addAll(materializeSweep(before));
        });
        forget(written);
        // Durable in the log (AUTOINCREMENT: one writer, consecutive sequences): now the net changes.
        maxSeq = before + list.size();
        unmaterialized.record(list, before);
    }

    @Override
    public synchronized Map<Integer, Long> appliedThrough() {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT log_partition, applied_through FROM segment_position")) {
            Map<Integer, Long> out = new HashMap<>();
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getLong(2));
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read positions", e);
        }
    }

    @Override
    public synchronized long count(String segment) {
        materialize();
        try {
            count.setString(1, segment);
            try (ResultSet rs = count.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw SegmentSqlite.failure("count", e);
        }
    }

    @Override
    public synchronized List<Member> members(String segment, String afterProfileId, int limit) {
        materialize();
        try {
            members.setString(1, segment);
            members.setString(2, afterProfileId);
            members.setInt(3, limit);
            List<Member> out = new ArrayList<>();
            try (ResultSet rs = members.executeQuery()) {
                while (rs.next()) {
                    out.add(new Member(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("members", e);
        }
    }

    @Override
    public synchronized List<MembershipChange> changes(String profileId) {
        try {
            changes.setString(1, profileId);
            List<MembershipChange> out = new ArrayList<>();
            try (ResultSet rs = changes.executeQuery()) {
                while (rs.next()) {
                    out.add(new MembershipChange(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getInt(4) == 1,
                            Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("changes", e);
        }
    }

    @Override
    public synchronized List<LoggedChange> changesAfter(long seq, int limit) {
        try (PreparedStatement q = db.prepareStatement("SELECT seq, segment, version, profile_id, entered, at, cause "
                + "FROM segment_membership_log WHERE seq > ? ORDER BY seq LIMIT ?")) {
            q.setLong(1, seq);
            q.setInt(2, limit);
            List<LoggedChange> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new LoggedChange(rs.getLong(1), new MembershipChange(rs.getString(2), rs.getInt(3), rs.getString(4),
                            rs.getInt(5) == 1, Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("changes after", e);
        }
    }

    @Override
    public synchronized long latestChange() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM segment_membership_log")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("latest change", e);
        }
    }

    @Override
    public synchronized void removeSegment(String segment) {
        materialize();
        try (PreparedStatement a = db.prepareStatement("DELETE FROM segment_member WHERE segment = ?");
             PreparedStatement b = db.prepareStatement("DELETE FROM segment_membership_log WHERE segment = ?")) {
            a.setString(1, segment);
            a.executeUpdate();
            b.setString(1, segment);
            b.executeUpdate();
        } catch (SQLException e) {
            throw SegmentSqlite.failure("remove segment", e);
        }
    }

    /** The WAL resets of this store's database file so far (SegmentBench reports them). */
    public WalResets walResets() {
        return checkpoints.resets();
    }

    @Override
    public synchronized void close() {
        materialize();
        checkpoints.close();
        try (Statement s = db.createStatement()) {
            // bounded: an unbounded ANALYZE of millions of member and log rows is minutes of CPU at close
            s.execute("PRAGMA analysis_limit = 1000");
            s.execute("PRAGMA optimize");
            db.close();
            synchronized (reads) {
                reader.close();
            }
        } catch (SQLException e) {
            throw SegmentSqlite.failure("close", e);
        }
    }
}
