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
 * memory and written in one transaction, with the log sequence it reflects
 * ({@code segment_member_through}), every {@value #MATERIALIZE_EVERY_MS} ms or
 * {@value #MATERIALIZE_AT} profiles, before a count or members page, and at close.
 *
 * <p>Why: a change written straight into {@code segment_member} is two random B-tree updates
 * (member, profile index) in tables of millions of rows, and each dirty page is a 4 KB WAL write
 * at every commit; at 10,000 events/s with ~5 changes an event that was the engine's limit
 * (SegmentBench, docs/BENCHMARKS.md "Segments"). An append is sequential, and most changes of
 * short windows (an enter and, seconds later, its exit) cancel out before they are materialized.
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
    /** Reads run on their own connection (WAL: they see the last commit and never wait for a write in progress). */
    private final Connection reader;
    private final Object reads = new Object();
    static final int MATERIALIZE_AT = 50_000;
    static final long MATERIALIZE_EVERY_MS = 10_000;
    /** Net changes not yet in {@code segment_member}: profile → segment → since (millis), or {@link #LEFT}. */
    private final Map<String, Map<String, Long>> unmaterialized = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long LEFT = Long.MIN_VALUE;
    private long lastMaterialized = System.nanoTime();
    private final PreparedStatement ofProfile;
    private final PreparedStatement enter;
    private final PreparedStatement exit;
    private final PreparedStatement log;
    private final PreparedStatement count;
    private final PreparedStatement members;
    private final PreparedStatement changes;
    private final PreparedStatement position;
    private final PreparedStatement ofProfiles;

    public SqliteMembershipStore(Path dbFile) {
        this.db = SegmentSqlite.open(dbFile,
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
        this.reader = SegmentSqlite.open(dbFile);
        try {
            ofProfile = reader.prepareStatement("SELECT segment, since FROM segment_member WHERE profile_id = ?");
            enter = db.prepareStatement("INSERT OR REPLACE INTO segment_member(segment, profile_id, since) "
                    + "SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)");
            exit = db.prepareStatement("DELETE FROM segment_member WHERE (segment, profile_id) IN "
                    + "(SELECT value ->> 0, value ->> 1 FROM json_each(?))");
            log = db.prepareStatement("INSERT INTO segment_membership_log(segment, version, profile_id, entered, at, cause) "
                    + "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?) ORDER BY key");
            count = db.prepareStatement("SELECT COUNT(*) FROM segment_member WHERE segment = ?");
            members = db.prepareStatement("SELECT profile_id, since FROM segment_member WHERE segment = ? AND profile_id > ? ORDER BY profile_id LIMIT ?");
            position = db.prepareStatement("INSERT INTO segment_position(log_partition, applied_through) VALUES (?, ?) "
                    + "ON CONFLICT(log_partition) DO UPDATE SET applied_through = excluded.applied_through");
            ofProfiles = reader.prepareStatement("SELECT profile_id, segment, since FROM segment_member "
                    + "WHERE profile_id IN (SELECT value FROM json_each(?))");
            changes = db.prepareStatement("SELECT segment, version, profile_id, entered, at, cause FROM segment_membership_log WHERE profile_id = ? ORDER BY seq");
        } catch (SQLException e) {
            throw SegmentSqlite.failure("prepare", e);
        }
        replayUnmaterialized();
    }

    /** At open: the log written after the last materialization becomes the net changes again. */
    private void replayUnmaterialized() {
        try (PreparedStatement q = db.prepareStatement("SELECT segment, profile_id, entered, at FROM segment_membership_log "
                + "WHERE seq > (SELECT seq FROM segment_member_through WHERE id = 0) ORDER BY seq");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                net(rs.getString(1), rs.getString(2), rs.getInt(3) == 1, rs.getLong(4));
            }
        } catch (SQLException e) {
            throw SegmentSqlite.failure("replay membership log", e);
        }
    }

    private void net(String segment, String profileId, boolean entered, long at) {
        unmaterialized.compute(profileId, (id, m) -> {
            Map<String, Long> next = m == null ? new HashMap<>(4) : new HashMap<>(m);
            next.put(segment, entered ? at : LEFT);
            return Map.copyOf(next);
        });
    }

    /**
     * Writes the net changes into {@code segment_member} with the log sequence they reflect, then
     * forgets them. Called with the store's monitor held.
     */
    private void materialize() {
        lastMaterialized = System.nanoTime();
        if (unmaterialized.isEmpty()) {
            return;
        }
        Map<String, Map<String, Long>> snapshot = Map.copyOf(unmaterialized);
        List<Object[]> entered = new ArrayList<>();
        List<Object[]> exited = new ArrayList<>();
        snapshot.forEach((profile, segments) -> segments.forEach((segment, since) -> {
            if (since == LEFT) {
                exited.add(new Object[] {segment, profile});
            } else {
                entered.add(new Object[] {segment, profile, since});
            }
        }));
        SegmentSqlite.inTransaction(db, "materialize memberships", () -> {
            if (!exited.isEmpty()) {
                exit.setString(1, SegmentSqlite.jsonRows(exited));
                exit.executeUpdate();
            }
            if (!entered.isEmpty()) {
                enter.setString(1, SegmentSqlite.jsonRows(entered));
                enter.executeUpdate();
            }
            try (Statement st = db.createStatement()) {
                st.executeUpdate("UPDATE segment_member_through SET seq = (SELECT COALESCE(MAX(seq), 0) FROM segment_membership_log) WHERE id = 0");
            }
        });
        // Only now: a reader that saw the net changes before this sees the same rows in the table after it.
        snapshot.forEach((profile, segments) -> unmaterialized.remove(profile, segments));
    }

    private static long millis(Instant t) {
        return t.toEpochMilli();
    }

    @Override
    public Map<String, Instant> memberships(String profileId) {
        Map<String, Long> net = unmaterialized.get(profileId);
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
        Map<String, Map<String, Long>> net = new HashMap<>();
        for (String id : profileIds) {
            Map<String, Long> n = unmaterialized.get(id);
            if (n != null) {
                net.put(id, n);
            }
        }
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
        SegmentSqlite.inTransaction(db, "apply membership changes", () -> {
            for (var p : appliedThrough.entrySet()) {
                position.setInt(1, p.getKey());
                position.setLong(2, p.getValue());
                position.executeUpdate();
            }
            if (list.isEmpty()) {
                return;
            }
            List<Object[]> logged = new ArrayList<>(list.size());
            for (MembershipChange c : list) {
                logged.add(new Object[] {c.segment(), c.version(), c.profileId(), c.entered() ? 1 : 0, millis(c.at()), c.cause()});
            }
            log.setString(1, SegmentSqlite.jsonRows(logged));
            log.executeUpdate();
        });
        // Durable in the log: now the net changes (the last change of each (segment, profile) wins).
        for (MembershipChange c : list) {
            net(c.segment(), c.profileId(), c.entered(), millis(c.at()));
        }
        if (unmaterialized.size() >= MATERIALIZE_AT || System.nanoTime() - lastMaterialized > MATERIALIZE_EVERY_MS * 1_000_000L) {
            materialize();
        }
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

    @Override
    public synchronized void close() {
        materialize();
        try (Statement s = db.createStatement()) {
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
