package io.tessera.store.postgres;

import io.tessera.event.Event;
import io.tessera.event.EventCodec;
import io.tessera.profile.Identity;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.LinkConflictException;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileCodec;
import io.tessera.profile.ProfileStore;
import io.tessera.store.HistoryPage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster {@link ProfileStore}: the same tables as {@code SqliteProfileStore} (migration
 * {@code V1__profiles.sql}), each {@link #commit} one transaction of JDBC batches.
 *
 * <p>Batched: history rows, identity links, profile upserts and offsets are each one batch (sent
 * as multi-row statements); merge re-pointing is one batch of UPDATEs in merge order, so a chain
 * a→b→c in one commit ends at c. Rows are written in key order, so two nodes committing
 * overlapping keys lock them in the same order (and a deadlock that still happens is retried by
 * {@link PostgresDatabase#write}).
 *
 * <p>Thread-safe; does not own the {@link PostgresDatabase}.
 */
public final class PostgresProfileStore implements ProfileStore {
    private final PostgresDatabase db;
    private final ProfileCodec profiles = new ProfileCodec();
    private final EventCodec events = new EventCodec();
    private final PostgresRelays relays = new PostgresRelays();

    /** The node's owner epochs: checked by {@link #split}, the one write that is not a batch's commit. */
    private final PostgresOwnerEpochs epochs;

    /** Unfenced merge reversals: for one node (and the tests of the port). */
    public PostgresProfileStore(PostgresDatabase db) {
        this(db, new PostgresOwnerEpochs(db));
    }

    /**
     * A merge reversal ({@link #split}) first checks the node's owner epochs and is rolled back if
     * one moved: a node fenced out of the group without knowing it cannot write a split over the
     * profiles its successor is applying events to (batch commits are fenced by their offsets).
     */
    public PostgresProfileStore(PostgresDatabase db, PostgresOwnerEpochs epochs) {
        this.db = db;
        this.epochs = epochs;
    }

    /**
     * Writes the commit's identity links, taking an identity only from a profile the commit
     * upserts or deletes (see {@link ProfileCommit}): existing links are locked and checked, new
     * ones inserted only if still absent and checked afterwards, so of two partitions linking one
     * new identity at once, the later commit fails with {@link LinkConflictException} and its batch
     * is retried (it then finds the identity's owner).
     */
    private static void linkOwnedOnly(Connection c, ProfileCommit commit) throws SQLException {
        if (commit.links().isEmpty()) {
            return;
        }
        List<Map.Entry<Identity, String>> ordered = new ArrayList<>(commit.links().entrySet());
        ordered.sort(Comparator.comparing((Map.Entry<Identity, String> l) -> l.getKey().kind().apiName())
                .thenComparing(l -> l.getKey().value()));
        java.util.Set<String> mayMove = new java.util.HashSet<>(commit.deletes());
        commit.upserts().forEach(p -> mayMove.add(p.id()));
        Map<Identity, String> current = new java.util.HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT l.kind, l.value, l.profile_id FROM identity_links l
                JOIN unnest(?::text[], ?::text[]) AS w(kind, value) ON l.kind = w.kind AND l.value = w.value
                ORDER BY l.kind, l.value FOR UPDATE OF l""")) {
            s.setArray(1, c.createArrayOf("text", ordered.stream().map(l -> l.getKey().kind().apiName()).toArray()));
            s.setArray(2, c.createArrayOf("text", ordered.stream().map(l -> l.getKey().value()).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    IdentityKind kind = IdentityKind.fromApiName(rs.getString(1)).orElseThrow();
                    current.put(new Identity(kind, rs.getString(2)), rs.getString(3));
                }
            }
        }
        List<Map.Entry<Identity, String>> moves = new ArrayList<>();
        List<Map.Entry<Identity, String>> fresh = new ArrayList<>();
        for (Map.Entry<Identity, String> l : ordered) {
            String owner = current.get(l.getKey());
            if (owner == null) {
                fresh.add(l);
            } else if (!owner.equals(l.getValue())) {
                if (!mayMove.contains(owner)) {
                    throw new LinkConflictException("identity " + l.getKey() + " belongs to " + owner + ", not to " + l.getValue());
                }
                moves.add(l);
            }
        }
        if (!moves.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("UPDATE identity_links SET profile_id = ? WHERE kind = ? AND value = ?")) {
                for (Map.Entry<Identity, String> l : moves) {
                    s.setString(1, l.getValue());
                    s.setString(2, l.getKey().kind().apiName());
                    s.setString(3, l.getKey().value());
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO identity_links(kind, value, profile_id) VALUES (?, ?, ?) ON CONFLICT (kind, value) DO NOTHING")) {
            for (Map.Entry<Identity, String> l : fresh) {
                s.setString(1, l.getKey().kind().apiName());
                s.setString(2, l.getKey().value());
                s.setString(3, l.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("""
                SELECT l.kind, l.value, l.profile_id FROM identity_links l
                JOIN unnest(?::text[], ?::text[], ?::text[]) AS w(kind, value, profile_id)
                  ON l.kind = w.kind AND l.value = w.value
                WHERE l.profile_id <> w.profile_id LIMIT 1""")) {
            s.setArray(1, c.createArrayOf("text", fresh.stream().map(l -> l.getKey().kind().apiName()).toArray()));
            s.setArray(2, c.createArrayOf("text", fresh.stream().map(l -> l.getKey().value()).toArray()));
            s.setArray(3, c.createArrayOf("text", fresh.stream().map(Map.Entry::getValue).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    throw new LinkConflictException("identity " + rs.getString(1) + ":" + rs.getString(2)
                            + " was linked to " + rs.getString(3) + " concurrently");
                }
            }
        }
    }

    @Override
    public List<Relay> pendingRelays(int partition) {
        return db.read(c -> relays.pending(c, partition));
    }

    @Override
    public void relaysSent(java.util.Collection<String> messageIds) {
        if (!messageIds.isEmpty()) {
            db.write(c -> {
                relays.sent(c, messageIds);
                return null;
            });
        }
    }

    @Override
    public boolean relayApplied(String key) {
        return db.read(c -> relays.applied(c, key));
    }

    /** One query, without the timeline: ingestion asks it for events of anonymous visitors. */
    @Override
    public Optional<String> homeKeyOf(Identity identity) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT p.body FROM identity_links l JOIN profiles p ON p.id = l.profile_id WHERE l.kind = ? AND l.value = ?")) {
                s.setString(1, identity.kind().apiName());
                s.setString(2, identity.value());
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? profiles.decode(rs.getString(1)).homeKey() : Optional.<String>empty();
                }
            }
        });
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

    private List<Event> timeline(Connection c, String profileId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT body FROM history WHERE profile_id = ?
                ORDER BY ts_seconds DESC, ts_nanos DESC, log_offset DESC LIMIT ?""")) {
            s.setString(1, profileId);
            s.setInt(2, Profile.TIMELINE_LIMIT);
            return events(s).reversed();
        }
    }

    private List<Event> events(PreparedStatement s) throws SQLException {
        List<Event> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(events.decode(rs.getBytes(1)));
            }
        }
        return out;
    }

    @Override
    public Optional<String> resolve(Identity identity) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT profile_id FROM identity_links WHERE kind = ? AND value = ?")) {
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
                return events(s);
            }
        });
    }

    /**
     * Two queries a page, whatever its size: the profiles, then the page's history rows in
     * {@code history_by_profile} order, decoding only rows that can be of the names.
     */
    @Override
    public List<ProfileHistory> histories(List<String> profileIds, java.util.Set<String> trackEvents) {
        if (profileIds.isEmpty()) {
            return List.of();
        }
        return db.read(c -> {
            java.sql.Array ids = c.createArrayOf("text", profileIds.toArray());
            Map<String, Profile> found;
            try (PreparedStatement s = c.prepareStatement("SELECT id, body FROM profiles WHERE id = ANY(?)")) {
                s.setArray(1, ids);
                try (ResultSet rs = s.executeQuery()) {
                    found = HistoryPage.profiles(rs, profiles);
                }
            }
            Map<String, List<Event>> histories = Map.of();
            if (!trackEvents.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("SELECT profile_id, body FROM history WHERE profile_id = ANY(?) ORDER BY profile_id, ts_seconds, ts_nanos, log_offset")) {
                    s.setArray(1, ids);
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
        db.write(c -> {
            // first: the row lock on the offset serializes two writers of a partition, and the
            // loser's work is not even sent
            fence(c, commit.startedFrom(), commit.offsets());
            insertHistory(c, commit.history());
            linkOwnedOnly(c, commit);
            recordMerges(c, commit.merges());
            upsertProfiles(c, commit.upserts(), homePartition(commit));
            deleteProfiles(c, commit.deletes());
            saveOffsets(c, commit.offsets(), commit.startedFrom().keySet());
            relays.save(c, commit.relays(), commit.relaysApplied());
            return null;
        });
    }

    /**
     * The compare-and-set of the partition offsets: each is moved from the offset the batch started
     * from, or the commit is rejected (and its transaction rolled back). Under READ COMMITTED a
     * second writer's UPDATE waits for the first's row lock and then re-reads the row, so of two
     * batches that started from the same offset exactly one commits.
     */
    private static void fence(Connection c, Map<Integer, Long> startedFrom, Map<Integer, Long> offsets) throws SQLException {
        for (Map.Entry<Integer, Long> from : new java.util.TreeMap<>(startedFrom).entrySet()) {
            int partition = from.getKey();
            long next = offsets.getOrDefault(partition, from.getValue());
            int moved;
            if (from.getValue() < 0) {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO partition_offsets(partition, log_offset) VALUES (?, ?) ON CONFLICT (partition) DO NOTHING")) {
                    s.setInt(1, partition);
                    s.setLong(2, next);
                    moved = s.executeUpdate();
                }
            } else {
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE partition_offsets SET log_offset = ? WHERE partition = ? AND log_offset = ?")) {
                    s.setLong(1, next);
                    s.setInt(2, partition);
                    s.setLong(3, from.getValue());
                    moved = s.executeUpdate();
                }
            }
            if (moved != 1) {
                throw new io.tessera.profile.FencedCommitException(partition, from.getValue(), storedOffset(c, partition));
            }
        }
    }

    private static long storedOffset(Connection c, int partition) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT log_offset FROM partition_offsets WHERE partition = ?")) {
            s.setInt(1, partition);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1L;
            }
        }
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
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void upsertLinks(Connection c, Map<Identity, String> links) throws SQLException {
        if (links.isEmpty()) {
            return;
        }
        List<Map.Entry<Identity, String>> ordered = new ArrayList<>(links.entrySet());
        ordered.sort(Comparator.comparing((Map.Entry<Identity, String> l) -> l.getKey().kind().apiName())
                .thenComparing(l -> l.getKey().value()));
        try (PreparedStatement s = c.prepareStatement("INSERT INTO identity_links(kind, value, profile_id) VALUES (?, ?, ?) "
                + "ON CONFLICT (kind, value) DO UPDATE SET profile_id = excluded.profile_id")) {
            for (Map.Entry<Identity, String> l : ordered) {
                s.setString(1, l.getKey().kind().apiName());
                s.setString(2, l.getKey().value());
                s.setString(3, l.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void recordMerges(Connection c, List<MergeRecord> merges) throws SQLException {
        if (merges.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO merges(from_id, into_id, kind, value, at, message_id) VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement moveHistory = c.prepareStatement("UPDATE history SET profile_id = ? WHERE profile_id = ?");
                PreparedStatement moveLinks = c.prepareStatement("UPDATE identity_links SET profile_id = ? WHERE profile_id = ?")) {
            for (MergeRecord m : merges) {
                insert.setString(1, m.from());
                insert.setString(2, m.into());
                insert.setString(3, m.by().kind().apiName());
                insert.setString(4, m.by().value());
                insert.setString(5, m.at().toString());
                insert.setString(6, m.messageId());
                insert.addBatch();
                for (PreparedStatement move : List.of(moveHistory, moveLinks)) {
                    move.setString(1, m.into());
                    move.setString(2, m.from());
                    move.addBatch();
                }
            }
            insert.executeBatch();
            moveHistory.executeBatch();
            moveLinks.executeBatch();
        }
    }

    /**
     * The partition whose batch this commit is: the home partition of every profile it writes,
     * since a profile is written only by the owner of its home partition (docs/SCALE-OUT.md,
     * "Identity merges across partitions"). Empty for a commit of no single partition.
     */
    private static Optional<Integer> homePartition(ProfileCommit commit) {
        java.util.Set<Integer> partitions = new java.util.HashSet<>(commit.offsets().keySet());
        partitions.addAll(commit.startedFrom().keySet());
        return partitions.size() == 1 ? Optional.of(partitions.iterator().next()) : Optional.empty();
    }

    private void upsertProfiles(Connection c, List<Profile> upserts) throws SQLException {
        upsertProfiles(c, upserts, Optional.empty());
    }

    /** Upserts with their home partition (an empty one keeps the stored partition). */
    private void upsertProfiles(Connection c, List<Profile> upserts, Optional<Integer> home) throws SQLException {
        if (upserts.isEmpty()) {
            return;
        }
        // one row per id (the last upsert wins), in id order: see the class comment
        Map<String, Profile> byId = new LinkedHashMap<>();
        upserts.forEach(p -> byId.put(p.id(), p));
        List<Profile> ordered = new ArrayList<>(byId.values());
        ordered.sort(Comparator.comparing(Profile::id));
        try (PreparedStatement s = c.prepareStatement("INSERT INTO profiles(id, body, home_partition) VALUES (?, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET body = excluded.body, "
                + "home_partition = COALESCE(excluded.home_partition, profiles.home_partition)")) {
            for (Profile p : ordered) {
                s.setString(1, p.id());
                // the timeline is derived from history on read (see ProfileStore#get)
                s.setString(2, profiles.encode(new Profile(p.id(), p.identities(), p.traits(), p.events(), List.of(), p.lastOffset())));
                if (home.isPresent()) {
                    s.setInt(3, home.get());
                } else {
                    s.setNull(3, java.sql.Types.INTEGER);
                }
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void deleteProfiles(Connection c, List<String> deletes) throws SQLException {
        if (deletes.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM profiles WHERE id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", deletes.toArray()));
            s.executeUpdate();
        }
    }

    private static void saveOffsets(Connection c, Map<Integer, Long> all, java.util.Set<Integer> fenced) throws SQLException {
        Map<Integer, Long> offsets = new java.util.HashMap<>(all);
        offsets.keySet().removeAll(fenced);
        if (offsets.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO partition_offsets(partition, log_offset) VALUES (?, ?) "
                + "ON CONFLICT (partition) DO UPDATE SET log_offset = excluded.log_offset")) {
            for (Map.Entry<Integer, Long> o : new java.util.TreeMap<>(offsets).entrySet()) {
                s.setInt(1, o.getKey());
                s.setLong(2, o.getValue());
                s.addBatch();
            }
            s.executeBatch();
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

    /**
     * The profiles whose home partition is {@code partition} (recorded by their partition's
     * commits), plus those with none recorded (written before the column existed, or only by a
     * commit of no single partition): the caller checks those. Two scans of the
     * {@code (home_partition, id)} index, merged in id order.
     */
    @Override
    public List<String> idsInPartition(int partition, String afterId, int limit) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    (SELECT id FROM profiles WHERE home_partition = ? AND id > ? ORDER BY id LIMIT ?)
                    UNION ALL
                    (SELECT id FROM profiles WHERE home_partition IS NULL AND id > ? ORDER BY id LIMIT ?)
                    ORDER BY id LIMIT ?""")) {
                s.setInt(1, partition);
                s.setString(2, afterId);
                s.setInt(3, limit);
                s.setString(4, afterId);
                s.setInt(5, limit);
                s.setInt(6, limit);
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
    public List<String> ids(String afterId, int limit) {
        return db.read(c -> {
            // profiles.id is COLLATE "C" (byte order, as SQLite), whatever the database's locale
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
            try (PreparedStatement s = c.prepareStatement("SELECT from_id, into_id, kind, value, at, message_id FROM merges "
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
            try (PreparedStatement s = c.prepareStatement("SELECT log_offset, body FROM history WHERE profile_id = ? ORDER BY log_offset")) {
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

    /** One transaction: the history of every profile involved is replaced, then links, profiles and the separation are written. */
    @Override
    public void split(ProfileSplit split) {
        db.write(c -> {
            epochs.check(c);
            java.util.Set<String> ids = new java.util.TreeSet<>(List.of(split.separation().from(), split.separation().into()));
            split.profiles().forEach(p -> ids.add(p.id()));
            try (PreparedStatement s = c.prepareStatement("DELETE FROM history WHERE profile_id = ANY (?)")) {
                s.setArray(1, c.createArrayOf("text", ids.toArray()));
                s.executeUpdate();
            }
            insertHistory(c, split.history());
            upsertLinks(c, split.links());
            upsertProfiles(c, split.profiles());
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO profile_separations(merge_id, from_id, into_id, at) VALUES (?, ?, ?, ?)")) {
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

    /** Keeps {@code profile_separations} (see {@link ProfileStore#clear}). */
    @Override
    public void clear() {
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("TRUNCATE profiles, identity_links, history, merges, partition_offsets, profile_relays, profile_relays_applied");
            }
            return null;
        });
    }

    /** Nothing to release: the pool belongs to the {@link PostgresDatabase}. */
    @Override
    public void close() {
    }
}
