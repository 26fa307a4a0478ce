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
 * Segment memberships in SQLite: {@code segment_member} (current members, keyed by segment then
 * profile, so members pages and counts are index range scans; and by profile, for a profile's
 * memberships), {@code segment_membership_log} (every enter and exit with its cause, appended in
 * sequence order and indexed by nothing else: {@link #changes} of one profile is a scan, for
 * diagnostics and tests) and {@code segment_position} (the log offset per
 * partition the memberships reflect). Thread-safe: writes and the other queries are synchronized on
 * the store; a profile's memberships (the engine's read on a cache miss) are read on a second
 * connection, so they never wait for a commit in progress.
 */
public final class SqliteMembershipStore implements MembershipStore {
    private final Connection db;
    /** Reads run on their own connection (WAL: they see the last commit and never wait for a write in progress). */
    private final Connection reader;
    private final Object reads = new Object();
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
                "CREATE TABLE IF NOT EXISTS segment_position (log_partition INTEGER PRIMARY KEY, applied_through INTEGER NOT NULL)");
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
    }

    private static long millis(Instant t) {
        return t.toEpochMilli();
    }

    @Override
    public Map<String, Instant> memberships(String profileId) {
        synchronized (reads) {
            return membershipsOf(profileId);
        }
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
        synchronized (reads) {
            return membershipsOf(profileIds);
        }
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
            // Current members take each (segment, profile)'s last change of the batch; the log takes all, in order.
            Map<List<String>, MembershipChange> last = new java.util.LinkedHashMap<>();
            List<Object[]> logged = new ArrayList<>(list.size());
            for (MembershipChange c : list) {
                last.put(List.of(c.segment(), c.profileId()), c);
                logged.add(new Object[] {c.segment(), c.version(), c.profileId(), c.entered() ? 1 : 0, millis(c.at()), c.cause()});
            }
            List<Object[]> entered = new ArrayList<>();
            List<Object[]> exited = new ArrayList<>();
            for (MembershipChange c : last.values()) {
                if (c.entered()) {
                    entered.add(new Object[] {c.segment(), c.profileId(), millis(c.at())});
                } else {
                    exited.add(new Object[] {c.segment(), c.profileId()});
                }
            }
            if (!exited.isEmpty()) {
                exit.setString(1, SegmentSqlite.jsonRows(exited));
                exit.executeUpdate();
            }
            if (!entered.isEmpty()) {
                enter.setString(1, SegmentSqlite.jsonRows(entered));
                enter.executeUpdate();
            }
            log.setString(1, SegmentSqlite.jsonRows(logged));
            log.executeUpdate();
        });
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
