package io.tessera.store.postgres;

import io.tessera.delivery.Outbox;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The outbox in PostgreSQL (migration {@code V7__delivery.sql}): raw MIME per message, unique by
 * Message-ID (a second put of one id inserts nothing), listed by an identity sequence. Each put is
 * one autocommit INSERT; concurrent senders share WAL flushes through PostgreSQL's group commit.
 * Thread-safe; does not own the {@link PostgresDatabase}.
 */
public final class PostgresOutbox implements Outbox {
    private static final String COLUMNS = "SELECT seq, message_id, campaign, to_address, subject, at, raw FROM outbox";

    private final PostgresDatabase db;

    public PostgresOutbox(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void put(Entry e) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox(message_id, campaign, to_address, subject, at, raw) "
                    + "VALUES (?,?,?,?,?,?) ON CONFLICT (message_id) DO NOTHING")) {
                ps.setString(1, e.messageId());
                ps.setString(2, e.campaign());
                ps.setString(3, e.to());
                ps.setString(4, e.subject());
                ps.setLong(5, e.at().toEpochMilli());
                ps.setBytes(6, e.rawMime());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Entry> find(String messageId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(COLUMNS + " WHERE message_id = ?")) {
                ps.setString(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.<Entry>empty();
                }
            }
        });
    }

    @Override
    public List<Entry> list(Optional<String> campaign, long afterSeq, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    COLUMNS + " WHERE seq > ?" + (campaign.isPresent() ? " AND campaign = ?" : "") + " ORDER BY seq LIMIT ?")) {
                int i = 1;
                ps.setLong(i++, afterSeq);
                if (campaign.isPresent()) {
                    ps.setString(i++, campaign.get());
                }
                ps.setInt(i, limit);
                List<Entry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public long count(Optional<String> campaign) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox" + (campaign.isPresent() ? " WHERE campaign = ?" : ""))) {
                if (campaign.isPresent()) {
                    ps.setString(1, campaign.get());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    private static Entry row(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Instant.ofEpochMilli(rs.getLong(6)), rs.getBytes(7));
    }

    /** Nothing to release: the pool belongs to the {@link PostgresDatabase}. */
    @Override
    public void close() {
    }
}
