package io.tessera.store.postgres;

import io.tessera.segment.MembershipChange;
import io.tessera.segment.MembershipStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Segment memberships in PostgreSQL (migration {@code V4__segments.sql}): current members and the
 * log of every change, as in {@code SqliteMembershipStore}.
 *
 * <p>{@link #apply} is one transaction: the owner-epoch check ({@link PostgresOwnerEpochs}), the partition positions, then the log rows in the order given, then the
 * final state of each (segment, profile) the batch touched — the last change wins, which is what
 * applying the changes one by one would leave — as one batch of upserts and one of deletes, in
 * key order. Thread-safe; does not own the {@link PostgresDatabase}.
 */
public final class PostgresMembershipStore implements MembershipStore {
    private final PostgresDatabase db;
    private final PostgresOwnerEpochs epochs;

    /** Unfenced: for one node (and the tests of the port). */
    public PostgresMembershipStore(PostgresDatabase db) {
        this(db, new PostgresOwnerEpochs(db));
    }

    /** Every {@link #apply} first checks the node's owner epochs, and is rolled back if one moved. */
    public PostgresMembershipStore(PostgresDatabase db, PostgresOwnerEpochs epochs) {
        this.db = db;
        this.epochs = epochs;
    }

    private record Key(String segment, String profileId) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int s = segment.compareTo(o.segment);
            return s != 0 ? s : profileId.compareTo(o.profileId);
        }
    }

    @Override
    public Map<String, Instant> memberships(String profileId) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT segment, since FROM segment_member WHERE profile_id = ?")) {
                s.setString(1, profileId);
                Map<String, Instant> out = new HashMap<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void apply(List<MembershipChange> changes, Map<Integer, Long> appliedThrough) {
        if (changes.isEmpty() && appliedThrough.isEmpty()) {
            return;
        }
        Map<Key, MembershipChange> last = new TreeMap<>();
        changes.forEach(ch -> last.put(new Key(ch.segment(), ch.profileId()), ch));
        db.write(c -> {
            epochs.check(c);
            savePositions(c, appliedThrough);
            if (changes.isEmpty()) {
                return null;
            }
            log(c, changes);
            try (PreparedStatement enter = c.prepareStatement("INSERT INTO segment_member(segment, profile_id, since) VALUES (?, ?, ?) "
                    + "ON CONFLICT (segment, profile_id) DO UPDATE SET since = excluded.since");
                    PreparedStatement exit = c.prepareStatement("DELETE FROM segment_member WHERE segment = ? AND profile_id = ?")) {
                boolean entered = false;
                boolean exited = false;
                for (MembershipChange ch : last.values()) {
                    PreparedStatement s = ch.entered() ? enter : exit;
                    s.setString(1, ch.segment());
                    s.setString(2, ch.profileId());
                    if (ch.entered()) {
                        s.setLong(3, ch.at().toEpochMilli());
                        entered = true;
                    } else {
                        exited = true;
                    }
                    s.addBatch();
                }
                if (entered) {
                    enter.executeBatch();
                }
                if (exited) {
                    exit.executeBatch();
                }
            }
            return null;
        });
    }

    private static void savePositions(Connection c, Map<Integer, Long> appliedThrough) throws SQLException {
        if (appliedThrough.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO segment_position(log_partition, applied_through) VALUES (?, ?) "
                + "ON CONFLICT (log_partition) DO UPDATE SET applied_through = excluded.applied_through")) {
            for (Map.Entry<Integer, Long> p : new TreeMap<>(appliedThrough).entrySet()) {
                s.setInt(1, p.getKey());
                s.setLong(2, p.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    @Override
    public Map<Integer, Long> appliedThrough() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT log_partition, applied_through FROM segment_position");
                    ResultSet rs = s.executeQuery()) {
                Map<Integer, Long> out = new HashMap<>();
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getLong(2));
                }
                return out;
            }
        });
    }

    private static void log(Connection c, List<MembershipChange> changes) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO segment_membership_log(segment, version, profile_id, entered, at, cause) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (MembershipChange ch : changes) {
                s.setString(1, ch.segment());
                s.setInt(2, ch.version());
                s.setString(3, ch.profileId());
                s.setBoolean(4, ch.entered());
                s.setLong(5, ch.at().toEpochMilli());
                s.setString(6, ch.cause());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    @Override
    public long count(String segment) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM segment_member WHERE segment = ?")) {
                s.setString(1, segment);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public List<Member> members(String segment, String afterProfileId, int limit) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT profile_id, since FROM segment_member WHERE segment = ? AND profile_id > ? ORDER BY profile_id LIMIT ?")) {
                s.setString(1, segment);
                s.setString(2, afterProfileId);
                s.setInt(3, limit);
                List<Member> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Member(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<MembershipChange> changes(String profileId) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT segment, version, profile_id, entered, at, cause "
                    + "FROM segment_membership_log WHERE profile_id = ? ORDER BY seq")) {
                s.setString(1, profileId);
                List<MembershipChange> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new MembershipChange(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getBoolean(4),
                                Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * The log after {@code seq}. Sequence numbers are taken at insert, so with several nodes
     * writing at once a lower number can commit after a higher one was read; a reader that must
     * see every change (webhooks) would then miss it. One writer per database (the embedded and
     * single-node modes) keeps commit order and sequence order the same.
     */
    @Override
    public List<LoggedChange> changesAfter(long seq, int limit) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT seq, segment, version, profile_id, entered, at, cause "
                    + "FROM segment_membership_log WHERE seq > ? ORDER BY seq LIMIT ?")) {
                s.setLong(1, seq);
                s.setInt(2, limit);
                List<LoggedChange> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new LoggedChange(rs.getLong(1), new MembershipChange(rs.getString(2), rs.getInt(3), rs.getString(4),
                                rs.getBoolean(5), Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public long latestChange() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM segment_membership_log");
                    ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public void removeSegment(String segment) {
        db.write(c -> {
            for (String table : List.of("segment_member", "segment_membership_log")) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE segment = ?")) {
                    s.setString(1, segment);
                    s.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Nothing to release: the pool belongs to the {@link PostgresDatabase}. */
    @Override
    public void close() {
    }
}
