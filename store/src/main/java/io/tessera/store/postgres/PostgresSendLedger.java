package io.tessera.store.postgres;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.SendLedger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The send ledger in PostgreSQL (migration {@code V3__send_ledger.sql}): one row per (campaign,
 * profile) under a primary key, so a second claim — from this node or any other — is refused by
 * the database ({@code INSERT … ON CONFLICT DO NOTHING} inserts nothing). Each call is one
 * autocommit statement on a pooled connection: concurrent senders commit in parallel, and
 * PostgreSQL's own group commit shares WAL flushes between them. Thread-safe; does not own the
 * {@link PostgresDatabase}.
 */
public final class PostgresSendLedger implements SendLedger {
    private static final String OPEN = "('CLAIMED','COMMITTING')";

    private final PostgresDatabase db;

    public PostgresSendLedger(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Claim claim(SendKey key, String messageId, String variant, Instant at) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO send_ledger"
                    + "(campaign, profile_id, message_id, variant, stage, claimed_at, updated_at) VALUES (?,?,?,?,?,?,?) "
                    + "ON CONFLICT (campaign, profile_id) DO NOTHING")) {
                ps.setString(1, key.campaign());
                ps.setString(2, key.profileId());
                ps.setString(3, messageId);
                ps.setString(4, variant);
                ps.setString(5, Stage.CLAIMED.name());
                ps.setLong(6, at.toEpochMilli());
                ps.setLong(7, at.toEpochMilli());
                return ps.executeUpdate() == 1 ? Claim.CLAIMED : Claim.ALREADY_TAKEN;
            }
        });
    }

    @Override
    public List<Claim> claimAll(List<ClaimRequest> requests, Instant at) {
        if (requests.isEmpty()) {
            return List.of();
        }
        // one statement: the pool rewrites batched inserts into multi-row ones, whose update
        // counts no longer say which row was skipped, so RETURNING names the rows inserted
        int n = requests.size();
        String[] campaigns = new String[n];
        String[] profiles = new String[n];
        String[] messages = new String[n];
        String[] variants = new String[n];
        for (int i = 0; i < n; i++) {
            ClaimRequest r = requests.get(i);
            campaigns[i] = r.key().campaign();
            profiles[i] = r.key().profileId();
            messages[i] = r.messageId();
            variants[i] = r.variant();
        }
        java.util.Set<SendKey> inserted = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO send_ledger"
                    + "(campaign, profile_id, message_id, variant, stage, claimed_at, updated_at) "
                    + "SELECT t.c, t.p, t.m, t.v, 'CLAIMED', ?, ? FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) "
                    + "AS t(c, p, m, v) ON CONFLICT (campaign, profile_id) DO NOTHING RETURNING campaign, profile_id")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setLong(2, at.toEpochMilli());
                ps.setArray(3, c.createArrayOf("text", campaigns));
                ps.setArray(4, c.createArrayOf("text", profiles));
                ps.setArray(5, c.createArrayOf("text", messages));
                ps.setArray(6, c.createArrayOf("text", variants));
                java.util.Set<SendKey> keys = new java.util.HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new SendKey(rs.getString(1), rs.getString(2)));
                    }
                }
                return keys;
            }
        });
        List<Claim> out = new ArrayList<>(n);
        for (ClaimRequest r : requests) {
            // remove: a key twice in one batch is claimed by its first request only
            out.add(inserted.remove(r.key()) ? Claim.CLAIMED : Claim.ALREADY_TAKEN);
        }
        return out;
    }

    @Override
    public void confirmAll(List<Confirmation> confirmations, Instant at) {
        if (confirmations.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE send_ledger SET stage=?, reply=?, updated_at=? WHERE campaign=? AND profile_id=?")) {
                for (Confirmation cf : confirmations) {
                    ps.setString(1, cf.stage().name());
                    ps.setString(2, cf.reply());
                    ps.setLong(3, at.toEpochMilli());
                    ps.setString(4, cf.key().campaign());
                    ps.setString(5, cf.key().profileId());
                    ps.addBatch();
                }
                return ps.executeBatch().length;
            }
        });
    }

    @Override
    public void committing(SendKey key) {
        update("UPDATE send_ledger SET stage='COMMITTING' WHERE campaign=? AND profile_id=? AND stage IN " + OPEN, key);
    }

    @Override
    public void confirm(SendKey key, Stage stage, String reply, Instant at) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE send_ledger SET stage=?, reply=?, updated_at=? WHERE campaign=? AND profile_id=?")) {
                ps.setString(1, stage.name());
                ps.setString(2, reply);
                ps.setLong(3, at.toEpochMilli());
                ps.setString(4, key.campaign());
                ps.setString(5, key.profileId());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void release(SendKey key) {
        update("DELETE FROM send_ledger WHERE campaign=? AND profile_id=? AND stage IN " + OPEN, key);
    }

    private void update(String sql, SendKey key) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, key.campaign());
                ps.setString(2, key.profileId());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Pending> unconfirmed(String campaign) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT profile_id, message_id, stage FROM send_ledger "
                    + "WHERE campaign=? AND stage IN " + OPEN + " ORDER BY profile_id")) {
                ps.setString(1, campaign);
                List<Pending> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Pending(new SendKey(campaign, rs.getString(1)), rs.getString(2), Stage.valueOf(rs.getString(3))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Map<Stage, Long> stages(String campaign) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT stage, count(*) FROM send_ledger WHERE campaign=? GROUP BY stage")) {
                ps.setString(1, campaign);
                Map<Stage, Long> out = new EnumMap<>(Stage.class);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(Stage.valueOf(rs.getString(1)), rs.getLong(2));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public int sentSince(String profileId, Instant since) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM send_ledger WHERE profile_id=? "
                    + "AND claimed_at >= ? AND stage IN ('CLAIMED','COMMITTING','DELIVERED','BOUNCED')")) {
                ps.setString(1, profileId);
                ps.setLong(2, since.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    @Override
    public List<String> unconfirmedScopes() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT campaign COLLATE \"C\" AS scope FROM send_ledger "
                    + "WHERE stage IN ('CLAIMED','COMMITTING') ORDER BY scope");
                 ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    @Override
    public List<Row> rowsOfRuns(String campaignKey) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT campaign, profile_id, message_id, variant, stage, claimed_at "
                    + "FROM send_ledger WHERE campaign=? OR left(campaign, ?) IN (?, ?) "
                    + "ORDER BY campaign COLLATE \"C\", profile_id COLLATE \"C\"")) {
                ps.setString(1, campaignKey);
                ps.setInt(2, campaignKey.length() + 1);
                ps.setString(3, campaignKey + "@");
                ps.setString(4, campaignKey + "#");
                List<Row> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Row(new SendKey(rs.getString(1), rs.getString(2)), rs.getString(3), rs.getString(4),
                                Stage.valueOf(rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<Row> rows(String campaign) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT profile_id, message_id, variant, stage, claimed_at "
                    + "FROM send_ledger WHERE campaign=? ORDER BY profile_id")) {
                ps.setString(1, campaign);
                List<Row> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Row(new SendKey(campaign, rs.getString(1)), rs.getString(2), rs.getString(3),
                                Stage.valueOf(rs.getString(4)), Instant.ofEpochMilli(rs.getLong(5))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Map<String, Long> skipReasons(String campaign) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT reply, count(*) FROM send_ledger WHERE campaign=? AND stage='SKIPPED' GROUP BY reply")) {
                ps.setString(1, campaign);
                Map<String, Long> out = new java.util.TreeMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public java.util.Optional<Row> findByMessageId(String messageId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT campaign, profile_id, message_id, variant, stage, claimed_at "
                    + "FROM send_ledger WHERE message_id=? LIMIT 1")) {
                ps.setString(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.Optional.of(new Row(new SendKey(rs.getString(1), rs.getString(2)), rs.getString(3),
                            rs.getString(4), Stage.valueOf(rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6))))
                            : java.util.Optional.<Row>empty();
                }
            }
        });
    }

    /** Nothing to release: the pool belongs to the {@link PostgresDatabase}. */
    @Override
    public void close() {
    }
}
