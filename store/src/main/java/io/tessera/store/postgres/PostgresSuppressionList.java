package io.tessera.store.postgres;

import io.tessera.delivery.Suppression;
import io.tessera.delivery.SuppressionList;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The suppression list in PostgreSQL (migration {@code V7__delivery.sql}), keyed by the lower-cased
 * address; the first reason recorded for an address is kept. Thread-safe; does not own the
 * {@link PostgresDatabase}.
 */
public final class PostgresSuppressionList implements SuppressionList {
    private final PostgresDatabase db;

    public PostgresSuppressionList(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void suppress(Suppression s) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO suppression(address, reason, since, detail) VALUES (?,?,?,?) ON CONFLICT (address) DO NOTHING")) {
                ps.setString(1, s.address().toLowerCase(Locale.ROOT));
                ps.setString(2, s.reason().name());
                ps.setLong(3, s.since().toEpochMilli());
                ps.setString(4, s.detail());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Suppression> find(String address) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT address, reason, since, detail FROM suppression WHERE address = ?")) {
                ps.setString(1, address.toLowerCase(Locale.ROOT));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.<Suppression>empty();
                }
            }
        });
    }

    @Override
    public List<Suppression> list(int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT address, reason, since, detail FROM suppression ORDER BY since, address LIMIT ?")) {
                ps.setInt(1, limit);
                List<Suppression> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    private static Suppression row(ResultSet rs) throws SQLException {
        return new Suppression(rs.getString(1), Suppression.Reason.valueOf(rs.getString(2)),
                Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4));
    }

    /** Nothing to release: the pool belongs to the {@link PostgresDatabase}. */
    @Override
    public void close() {
    }
}
