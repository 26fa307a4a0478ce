package io.tessera.store.sqlite;

import io.tessera.event.EventCodec;
import io.tessera.event.Event;
import io.tessera.profile.Identity;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileCodec;
import io.tessera.profile.ProfileStore;
import io.tessera.store.HistoryPage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded {@link ProfileStore}: tables in one SQLite file (WAL), written only through
 * {@link #commit}, each commit one transaction.
 *
 * <h2>Schema</h2>
 * <ul>
 *   <li>{@code profiles(id, body)}: the profile as {@link ProfileCodec} JSON. Profiles are read
 *       and written whole; nothing queries inside them, so columns would buy nothing.</li>
 *   <li>{@code identity_links(kind, value, profile_id)}: the identity graph, one row per
 *       identifier, indexed by profile for merges.</li>
 *   <li>{@code history(profile_id, ts_seconds, ts_nanos, log_offset, body)}: every applied event,
 *       indexed for "by event time, then offset".</li>
 *   <li>{@code merges(seq, from_id, into_id, …)} and {@code partition_offsets(partition, log_offset)}.</li>
 *   <li>{@code profile_separations(merge_id, from_id, into_id, at, seq)}: reversed merges; the only
 *       table {@link #clear} keeps.</li>
 * </ul>
 * A commit writes history and links first, then re-points history and links of every merged-away
 * profile (so what a profile created and merged in the same batch wrote follows it), then
 * profiles, deletions and offsets.
 *
 * <p>May share its file with {@link SqliteQuarantineStore} and even with the event log (separate
 * connections; WAL lets readers run while one writer commits). Thread-safe.
 */
public final class SqliteProfileStore implements ProfileStore {
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS profiles (id TEXT PRIMARY KEY, body TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS identity_links (
              kind TEXT NOT NULL, value TEXT NOT NULL, profile_id TEXT NOT NULL, PRIMARY KEY (kind, value));
            CREATE INDEX IF NOT EXISTS identity_links_by_profile ON identity_links(profile_id);
            CREATE TABLE IF NOT EXISTS history (
              profile_id TEXT NOT NULL, ts_seconds INTEGER NOT NULL, ts_nanos INTEGER NOT NULL,
              log_offset INTEGER NOT NULL, body BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS history_by_profile ON history(profile_id, ts_seconds, ts_nanos, log_offset);
            CREATE TABLE IF NOT EXISTS merges (
              seq INTEGER PRIMARY KEY, from_id TEXT NOT NULL, into_id TEXT NOT NULL, kind TEXT NOT NULL,
              value TEXT NOT NULL, at TEXT NOT NULL, message_id TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS merges_from ON merges(from_id);
            CREATE INDEX IF NOT EXISTS merges_into ON merges(into_id);
            CREATE TABLE IF NOT EXISTS partition_offsets (partition INTEGER PRIMARY KEY, log_offset INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS profile_separations (
              merge_id TEXT PRIMARY KEY, from_id TEXT NOT NULL, into_id TEXT NOT NULL, at TEXT NOT NULL, seq INTEGER NOT NULL);
            """;

    private final SqliteDatabase db;
    private final ProfileCodec profiles = new ProfileCodec();
    private final EventCodec events = new EventCodec();

    public SqliteProfileStore(Path dbFile) {
        // derived from the log, offset in the same transaction: a power cut can only make it lag the
        // log, never lead it, and replay catches up; fsyncing every batch cost ~2.3x throughput
        this.db = new SqliteDatabase(dbFile, SCHEMA, false);
    }

    @Override
    public Optional<Profile> get(String profileId) {
        return db.read(c -> {
            Profile summary;
            try (PreparedStatement s = c.prepareStatement("SELECT body FROM profiles WHERE id = ?")) {
                s.setString(1, profileId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Profile>empty();
                    }
                    summary = profiles.decode(rs.getString(1));
                }
            }
            return Optional.of(new Profile(summary.id(), summary.identities(), summary.traits(), summary.events(),
                    timeline(c, profileId), summary.lastOffset()));
        });
    }

    /** The last {@link Profile#TIMELINE_LIMIT} history entries, oldest first (uses history_by_profile backwards). */
    private List<Event> timeline(Connection c, String profileId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT body FROM history WHERE profile_id = ?
                ORDER BY ts_seconds DESC, ts_nanos DESC, log_offset DESC LIMIT ?""")) {
            s.setString(1, profileId);
            s.setInt(2, Profile.TIMELINE_LIMIT);
            List<Event> newestFirst = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    newestFirst.add(events.decode(rs.getBytes(1)));
                }
            }
            return newestFirst.reversed();
        }
    }

    @Override
    public Optional<String> resolve(Identity identity) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT profile_id FROM identity_links WHERE kind = ? AND value = ?")) {
                s.setString(1, identity.kind().apiName());
                s.setString(2, identity.value());
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Event> history(String profileId) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT body FROM history WHERE profile_id = ? ORDER BY ts_seconds, ts_nanos, log_offset")) {
                s.setString(1, profileId);
                List<Event> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(events.decode(rs.getBytes(1)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Two queries a page, whatever its size: the profiles, then the page's history rows in one walk
     * of {@code history_by_profile} (the ids are looked up in sorted order, so the walk is
     * sequential for a backfill's consecutive ids), decoding only rows that can be of the names.
     */
    @Override
    public List<ProfileHistory> histories(List<String> profileIds, java.util.Set<String> trackEvents) {
        if (profileIds.isEmpty()) {
            return List.of();
        }
        String ids = SegmentSqlite.jsonArray(profileIds);
        return db.read(c -> {
            Map<String, Profile> found;
            try (PreparedStatement s = c.prepareStatement("SELECT id, body FROM profiles WHERE id IN (SELECT value FROM json_each(?))")) {
                s.setString(1, ids);
                try (ResultSet rs = s.executeQuery()) {
                    found = HistoryPage.profiles(rs, profiles);
                }
            }
            Map<String, List<Event>> histories = Map.of();
            if (!trackEvents.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("""
                    SELECT profile_id, body FROM history WHERE profile_id IN (SELECT value FROM json_each(?))
                    ORDER BY profile_id, ts_seconds, ts_nanos, log_offset""")) {
                    s.setString(1, ids);
                    try (ResultSet rs = s.executeQuery()) {
                        histories = HistoryPage.trackEvents(rs, events, trackEvents);
                    }
                }
            }
            return HistoryPage.inOrder(profileIds, found, histories);
        });
    }

    @Override
    public void commit(ProfileCommit commit) {
        if (!commit.relays().isEmpty() || !commit.relaysApplied().isEmpty()) {
            throw new UnsupportedOperationException("the embedded store serves one partition: no relay records");
        }
        db.write(c -> {
            fence(c, commit.startedFrom(), commit.offsets());
            insertHistory(c, commit.history());
            upsertLinks(c, commit.links());
            recordMerges(c, commit.merges());
            upsertProfiles(c, commit.upserts());
            deleteProfiles(c, commit.deletes());
            Map<Integer, Long> rest = new java.util.HashMap<>(commit.offsets());
            rest.keySet().removeAll(commit.startedFrom().keySet());
            saveOffsets(c, rest);
            return null;
        });
    }

    private void insertHistory(Connection c, List<HistoryEntry> history) throws SQLException {
        if (history.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO history(profile_id, ts_seconds, ts_nanos, log_offset, body) VALUES (?, ?, ?, ?, ?)")) {
            for (HistoryEntry h : history) {
                s.setString(1, h.profileId());
                s.setLong(2, h.event().timestamp().getEpochSecond());
                s.setInt(3, h.event().timestamp().getNano());
                s.setLong(4, h.offset());
                s.setBytes(5, events.encode(h.event()));
                s.executeUpdate();
            }
        }
    }

    private static void recordMerges(Connection c, List<MergeRecord> merges) throws SQLException {
        if (merges.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO merges(from_id, into_id, kind, value, at, message_id) VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement moveHistory = c.prepareStatement("UPDATE history SET profile_id = ? WHERE profile_id = ?");
                PreparedStatement moveLinks = c.prepareStatement(
                        "UPDATE identity_links SET profile_id = ? WHERE profile_id = ?")) {
            for (MergeRecord m : merges) {
                insert.setString(1, m.from());
                insert.setString(2, m.into());
                insert.setString(3, m.by().kind().apiName());
                insert.setString(4, m.by().value());
                insert.setString(5, m.at().toString());
                insert.setString(6, m.messageId());
                insert.executeUpdate();
                for (PreparedStatement move : List.of(moveHistory, moveLinks)) {
                    move.setString(1, m.into());
                    move.setString(2, m.from());
                    move.executeUpdate();
                }
            }
        }
    }

    private static void upsertLinks(Connection c, Map<Identity, String> links) throws SQLException {
        if (links.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT OR REPLACE INTO identity_links(kind, value, profile_id) VALUES (?, ?, ?)")) {
            for (Map.Entry<Identity, String> l : links.entrySet()) {
                s.setString(1, l.getKey().kind().apiName());
                s.setString(2, l.getKey().value());
                s.setString(3, l.getValue());
                s.executeUpdate();
            }
        }
    }

    private void upsertProfiles(Connection c, List<Profile> upserts) throws SQLException {
        if (upserts.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT OR REPLACE INTO profiles(id, body) VALUES (?, ?)")) {
            for (Profile p : upserts) {
                s.setString(1, p.id());
                // the timeline is derived from history on read; writing it here would re-encode 50 events per event
                s.setString(2, profiles.encode(new Profile(p.id(), p.identities(), p.traits(), p.events(), List.of(), p.lastOffset())));
                s.executeUpdate();
            }
        }
    }

    private static void deleteProfiles(Connection c, List<String> deletes) throws SQLException {
        if (deletes.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM profiles WHERE id = ?")) {
            for (String id : deletes) {
                s.setString(1, id);
                s.executeUpdate();
            }
        }
    }

    /**
     * The compare-and-set of the offsets (see {@code ProfileCommit#startedFrom}); the one writer of
     * the file always passes. Written as conditional writes, never a read first: a WAL transaction
     * that starts with a read and then writes fails with SQLITE_BUSY (no busy wait) when another
     * connection to the file wrote in between.
     */
    private static void fence(Connection c, Map<Integer, Long> startedFrom, Map<Integer, Long> offsets) throws SQLException {
        for (Map.Entry<Integer, Long> from : startedFrom.entrySet()) {
            long next = offsets.getOrDefault(from.getKey(), from.getValue());
            String sql = from.getValue() < 0
                    ? "INSERT OR IGNORE INTO partition_offsets(partition, log_offset) VALUES (?, ?)"
                    : "UPDATE partition_offsets SET log_offset = ? WHERE partition = ? AND log_offset = ?";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                if (from.getValue() < 0) {
                    s.setInt(1, from.getKey());
                    s.setLong(2, next);
                } else {
                    s.setLong(1, next);
                    s.setInt(2, from.getKey());
                    s.setLong(3, from.getValue());
                }
                if (s.executeUpdate() != 1) {
                    throw new io.tessera.profile.FencedCommitException(from.getKey(), from.getValue(), stored(c, from.getKey()));
                }
            }
        }
    }

    private static long stored(Connection c, int partition) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT log_offset FROM partition_offsets WHERE partition = ?")) {
            s.setInt(1, partition);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1L;
            }
        }
    }

    private static void saveOffsets(Connection c, Map<Integer, Long> offsets) throws SQLException {
        if (offsets.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT OR REPLACE INTO partition_offsets(partition, log_offset) VALUES (?, ?)")) {
            for (Map.Entry<Integer, Long> o : offsets.entrySet()) {
                s.setInt(1, o.getKey());
                s.setLong(2, o.getValue());
                s.executeUpdate();
            }
        }
    }

    @Override
    public long resumeAfter(int partition) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT log_offset FROM partition_offsets WHERE partition = ?")) {
                s.setInt(1, partition);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : -1L;
                }
            }
        });
    }

    @Override
    public long count() {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM profiles")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public List<String> ids(String afterId, int limit) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM profiles WHERE id > ? ORDER BY id LIMIT ?")) {
                s.setString(1, afterId);
                s.setInt(2, limit);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<MergeRecord> merges(String profileId) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT from_id, into_id, kind, value, at, message_id FROM merges "
                            + "WHERE from_id = ? OR into_id = ? ORDER BY seq")) {
                s.setString(1, profileId);
                s.setString(2, profileId);
                List<MergeRecord> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        IdentityKind kind = IdentityKind.fromApiName(rs.getString(3))
                                .orElseThrow(() -> new IllegalStateException("unknown identity kind in merges"));
                        out.add(new MergeRecord(rs.getString(1), rs.getString(2), new Identity(kind, rs.getString(4)),
                                Instant.parse(rs.getString(5)), rs.getString(6)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<HistoryEntry> historyEntries(String profileId) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT log_offset, body FROM history WHERE profile_id = ? ORDER BY log_offset")) {
                s.setString(1, profileId);
                List<HistoryEntry> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new HistoryEntry(profileId, rs.getLong(1), events.decode(rs.getBytes(2))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void split(ProfileSplit split) {
        db.write(c -> {
            java.util.Set<String> ids = new java.util.LinkedHashSet<>();
            ids.add(split.separation().from());
            ids.add(split.separation().into());
            split.profiles().forEach(p -> ids.add(p.id()));
            try (PreparedStatement s = c.prepareStatement("DELETE FROM history WHERE profile_id = ?")) {
                for (String id : ids) {
                    s.setString(1, id);
                    s.executeUpdate();
                }
            }
            insertHistory(c, split.history());
            upsertLinks(c, split.links());
            upsertProfiles(c, split.profiles());
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO profile_separations(merge_id, from_id, into_id, at, seq)
                    VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM profile_separations))""")) {
                Separation sep = split.separation();
                s.setString(1, sep.mergeId());
                s.setString(2, sep.from());
                s.setString(3, sep.into());
                s.setString(4, sep.at().toString());
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Separation> separations() {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT from_id, into_id, merge_id, at FROM profile_separations ORDER BY seq")) {
                List<Separation> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Separation(rs.getString(1), rs.getString(2), rs.getString(3), Instant.parse(rs.getString(4))));
                }
                return out;
            }
        });
    }

    @Override
    public void clear() {
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                for (String table : List.of("profiles", "identity_links", "history", "merges", "partition_offsets")) {
                    s.executeUpdate("DELETE FROM " + table);
                }
            }
            return null;
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
