package io.tessera.store.sqlite;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.SendLedger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The send ledger in SQLite: one row per (campaign, profile), primary key on both, so a second
 * claim is refused by the database itself. Every write returns once committed (see
 * {@link SqliteDelivery} for the fsync policy); concurrent writes share a commit through
 * {@link BatchedWriter}. Reads use a second connection guarded by this object's monitor
 * (WAL lets them run beside the writer). Thread-safe.
 */
public final class SqliteSendLedger implements SendLedger {

    private final Connection c;
    private final BatchedWriter writer;

    public SqliteSendLedger(Path dbFile) {
        this(dbFile, false);
    }

    public SqliteSendLedger(Path dbFile, boolean fsyncEveryCommit) {
        this.c = SqliteDelivery.open(dbFile, fsyncEveryCommit);
        SqliteDelivery.execute(c, """
                CREATE TABLE IF NOT EXISTS send_ledger (
                  campaign TEXT NOT NULL, profile_id TEXT NOT NULL, message_id TEXT NOT NULL,
                  variant TEXT NOT NULL, stage TEXT NOT NULL, reply TEXT NOT NULL DEFAULT '',
                  claimed_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                  PRIMARY KEY (campaign, profile_id)) WITHOUT ROWID""",
                "CREATE INDEX IF NOT EXISTS send_ledger_profile ON send_ledger(profile_id, claimed_at)",
                "CREATE INDEX IF NOT EXISTS send_ledger_open ON send_ledger(campaign, stage)",
                "CREATE INDEX IF NOT EXISTS send_ledger_message ON send_ledger(message_id)");
        this.writer = new BatchedWriter(SqliteDelivery.open(dbFile, fsyncEveryCommit), "ledger");
    }

    private static final String CLAIM = "INSERT OR IGNORE INTO send_ledger"
            + "(campaign, profile_id, message_id, variant, stage, claimed_at, updated_at) VALUES (?,?,?,?,?,?,?)";
    private static final String CONFIRM =
            "UPDATE send_ledger SET stage=?, reply=?, updated_at=? WHERE campaign=? AND profile_id=?";

    @Override
    public Claim claim(SendKey key, String messageId, String variant, Instant at) {
        return writer.write(st -> insertClaim(st.get(CLAIM), new ClaimRequest(key, messageId, variant), at));
    }

    @Override
    public List<Claim> claimAll(List<ClaimRequest> requests, Instant at) {
        if (requests.isEmpty()) {
            return List.of();
        }
        return writer.write(st -> {
            PreparedStatement ps = st.get(CLAIM);
            List<Claim> out = new ArrayList<>(requests.size());
            for (ClaimRequest r : requests) {
                out.add(insertClaim(ps, r, at));
            }
            return out;
        });
    }

    private static Claim insertClaim(PreparedStatement ps, ClaimRequest r, Instant at) throws SQLException {
        ps.setString(1, r.key().campaign());
        ps.setString(2, r.key().profileId());
        ps.setString(3, r.messageId());
        ps.setString(4, r.variant());
        ps.setString(5, Stage.CLAIMED.name());
        ps.setLong(6, at.toEpochMilli());
        ps.setLong(7, at.toEpochMilli());
        return ps.executeUpdate() == 1 ? Claim.CLAIMED : Claim.ALREADY_TAKEN;
    }

    @Override
    public void committing(SendKey key) {
        update("UPDATE send_ledger SET stage='COMMITTING' WHERE campaign=? AND profile_id=? AND stage IN ('CLAIMED','COMMITTING')", key);
    }

    @Override
    public void confirm(SendKey key, Stage stage, String reply, Instant at) {
        confirmAll(List.of(new Confirmation(key, stage, reply)), at);
    }

    @Override
    public void confirmAll(List<Confirmation> confirmations, Instant at) {
        if (confirmations.isEmpty()) {
            return;
        }
        writer.write(st -> {
            PreparedStatement ps = st.get(CONFIRM);
            for (Confirmation c : confirmations) {
                ps.setString(1, c.stage().name());
                ps.setString(2, c.reply());
                ps.setLong(3, at.toEpochMilli());
                ps.setString(4, c.key().campaign());
                ps.setString(5, c.key().profileId());
                ps.executeUpdate();
            }
            return confirmations.size();
        });
    }

    @Override
    public void release(SendKey key) {
        update("DELETE FROM send_ledger WHERE campaign=? AND profile_id=? AND stage IN ('CLAIMED','COMMITTING')", key);
    }

    private void update(String sql, SendKey key) {
        writer.write(st -> {
            PreparedStatement ps = st.get(sql);
            ps.setString(1, key.campaign());
            ps.setString(2, key.profileId());
            return ps.executeUpdate();
        });
    }

    @Override
    public synchronized List<Pending> unconfirmed(String campaign) {
        List<Pending> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT profile_id, message_id, stage FROM send_ledger "
                + "WHERE campaign=? AND stage IN ('CLAIMED','COMMITTING') ORDER BY profile_id")) {
            ps.setString(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pending(new SendKey(campaign, rs.getString(1)), rs.getString(2), Stage.valueOf(rs.getString(3))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SqliteDelivery.failure("ledger unconfirmed", e);
        }
    }

    @Override
    public synchronized List<String> unconfirmedScopes() {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT campaign FROM send_ledger "
                + "WHERE stage IN ('CLAIMED','COMMITTING') ORDER BY campaign");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw SqliteDelivery.failure("ledger unconfirmed scopes", e);
        }
    }

    @Override
    public synchronized Map<Stage, Long> stages(String campaign) {
        Map<Stage, Long> out = new EnumMap<>(Stage.class);
        try (PreparedStatement ps = c.prepareStatement("SELECT stage, count(*) FROM send_ledger WHERE campaign=? GROUP BY stage")) {
            ps.setString(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(Stage.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SqliteDelivery.failure("ledger stages", e);
        }
    }

    @Override
    public synchronized int sentSince(String profileId, Instant since) {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM send_ledger WHERE profile_id=? "
                + "AND claimed_at >= ? AND stage IN ('CLAIMED','COMMITTING','DELIVERED','BOUNCED')")) {
            ps.setString(1, profileId);
            ps.setLong(2, since.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw SqliteDelivery.failure("ledger sentSince", e);
        }
    }

    @Override
    public synchronized List<Row> rows(String campaign) {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT profile_id, message_id, variant, stage, claimed_at "
                + "FROM send_ledger WHERE campaign=? ORDER BY profile_id")) {
            ps.setString(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(new SendKey(campaign, rs.getString(1)), rs.getString(2), rs.getString(3),
                            Stage.valueOf(rs.getString(4)), Instant.ofEpochMilli(rs.getLong(5))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SqliteDelivery.failure("ledger rows", e);
        }
    }

    @Override
    public synchronized Map<String, Long> skipReasons(String campaign) {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT reply, count(*) FROM send_ledger WHERE campaign=? AND stage='SKIPPED' GROUP BY reply")) {
            ps.setString(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SqliteDelivery.failure("ledger skipReasons", e);
        }
    }

    @Override
    public synchronized java.util.Optional<Row> findByMessageId(String messageId) {
        try (PreparedStatement ps = c.prepareStatement("SELECT campaign, profile_id, message_id, variant, stage, claimed_at "
                + "FROM send_ledger WHERE message_id=? LIMIT 1")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(new Row(new SendKey(rs.getString(1), rs.getString(2)), rs.getString(3),
                        rs.getString(4), Stage.valueOf(rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6))))
                        : java.util.Optional.empty();
            }
        } catch (SQLException e) {
            throw SqliteDelivery.failure("ledger findByMessageId", e);
        }
    }

    @Override
    public synchronized List<Row> rowsOfRuns(String campaignKey) {
        List<Row> out = new ArrayList<>();
        // Range scans on the primary key: "key@" .. "key@\uffff" and "key#" .. "key#\uffff".
        try (PreparedStatement ps = c.prepareStatement("SELECT campaign, profile_id, message_id, variant, stage, claimed_at "
                + "FROM send_ledger WHERE campaign=? OR (campaign > ? AND campaign < ?) OR (campaign > ? AND campaign < ?) "
                + "ORDER BY campaign, profile_id")) {
            ps.setString(1, campaignKey);
            ps.setString(2, campaignKey + "@");
            ps.setString(3, campaignKey + "@\uffff");
            ps.setString(4, campaignKey + "#");
            ps.setString(5, campaignKey + "#\uffff");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(new SendKey(rs.getString(1), rs.getString(2)), rs.getString(3), rs.getString(4),
                            Stage.valueOf(rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SqliteDelivery.failure("ledger rows of runs", e);
        }
    }

    @Override
    public synchronized void close() {
        writer.close();
        try {
            c.close();
        } catch (SQLException e) {
            throw SqliteDelivery.failure("ledger close", e);
        }
    }
}
