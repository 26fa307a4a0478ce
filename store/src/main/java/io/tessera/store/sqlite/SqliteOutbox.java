package io.tessera.store.sqlite;

import io.tessera.delivery.Outbox;
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
 * The embedded outbox in SQLite: raw MIME per message, unique by Message-ID. Writes go through a
 * {@link BatchedWriter} (group commit); reads use a connection under this object's monitor. Thread-safe.
 */
public final class SqliteOutbox implements Outbox {

    private final Connection c;
    private final BatchedWriter writer;

    public SqliteOutbox(Path dbFile) {
        this.c = SqliteDelivery.open(dbFile, false);
        SqliteDelivery.execute(c, """
                CREATE TABLE IF NOT EXISTS outbox (
                  seq INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL UNIQUE, campaign TEXT NOT NULL,
                  to_address TEXT NOT NULL, subject TEXT NOT NULL, at INTEGER NOT NULL, raw BLOB NOT NULL)""",
                "CREATE INDEX IF NOT EXISTS outbox_campaign ON outbox(campaign, seq)");
        this.writer = new BatchedWriter(SqliteDelivery.open(dbFile, false), "outbox");
    }

    @Override
    public void put(Entry e) {
        writer.write(st -> {
            PreparedStatement ps = st.get("INSERT OR IGNORE INTO outbox"
                    + "(message_id, campaign, to_address, subject, at, raw) VALUES (?,?,?,?,?,?)");
            ps.setString(1, e.messageId());
            ps.setString(2, e.campaign());
            ps.setString(3, e.to());
            ps.setString(4, e.subject());
            ps.setLong(5, e.at().toEpochMilli());
            ps.setBytes(6, e.rawMime());
            return ps.executeUpdate();
        });
    }

    @Override
    public synchronized Optional<Entry> find(String messageId) {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM outbox WHERE message_id=?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqliteDelivery.failure("outbox find", e);
        }
    }

    @Override
    public synchronized List<Entry> list(Optional<String> campaign, long afterSeq, int limit) {
        String sql = "SELECT * FROM outbox WHERE seq > ?" + (campaign.isPresent() ? " AND campaign = ?" : "") + " ORDER BY seq LIMIT ?";
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, afterSeq);
            if (campaign.isPresent()) {
                ps.setString(i++, campaign.get());
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SqliteDelivery.failure("outbox list", e);
        }
    }

    @Override
    public synchronized long count(Optional<String> campaign) {
        String sql = "SELECT count(*) FROM outbox" + (campaign.isPresent() ? " WHERE campaign = ?" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (campaign.isPresent()) {
                ps.setString(1, campaign.get());
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw SqliteDelivery.failure("outbox count", e);
        }
    }

    private static Entry row(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong("seq"), rs.getString("message_id"), rs.getString("campaign"), rs.getString("to_address"),
                rs.getString("subject"), Instant.ofEpochMilli(rs.getLong("at")), rs.getBytes("raw"));
    }

    @Override
    public synchronized void close() {
        writer.close();
        try {
            c.close();
        } catch (SQLException e) {
            throw SqliteDelivery.failure("outbox close", e);
        }
    }
}
