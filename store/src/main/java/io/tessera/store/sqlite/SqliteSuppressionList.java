package io.tessera.store.sqlite;

import io.tessera.delivery.Suppression;
import io.tessera.delivery.SuppressionList;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The suppression list in SQLite, keyed by the lower-cased address. One connection under this object's monitor; thread-safe. */
public final class SqliteSuppressionList implements SuppressionList {

    private final Connection c;
    private final PreparedStatement findStatement;

    public SqliteSuppressionList(Path dbFile) {
        this.c = SqliteDelivery.open(dbFile, false);
        SqliteDelivery.execute(c, """
                CREATE TABLE IF NOT EXISTS suppression (
                  address TEXT PRIMARY KEY, reason TEXT NOT NULL, since INTEGER NOT NULL, detail TEXT NOT NULL)""");
        try {
            // checked once per message: prepared once (preparing cost more than the lookup)
            this.findStatement = c.prepareStatement("SELECT address, reason, since, detail FROM suppression WHERE address=?");
        } catch (SQLException e) {
            throw SqliteDelivery.failure("suppression", e);
        }
    }

    @Override
    public synchronized void suppress(Suppression s) {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO suppression VALUES (?,?,?,?)")) {
            ps.setString(1, s.address().toLowerCase(Locale.ROOT));
            ps.setString(2, s.reason().name());
            ps.setLong(3, s.since().toEpochMilli());
            ps.setString(4, s.detail());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw SqliteDelivery.failure("suppress", e);
        }
    }

    @Override
    public synchronized Optional<Suppression> find(String address) {
        try {
            PreparedStatement ps = findStatement;
            ps.setString(1, address.toLowerCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqliteDelivery.failure("suppression lookup", e);
        }
    }

    @Override
    public synchronized List<Suppression> list(int limit) {
        List<Suppression> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT address, reason, since, detail FROM suppression ORDER BY since, address LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SqliteDelivery.failure("suppression list", e);
        }
    }

    private static Suppression row(ResultSet rs) throws SQLException {
        return new Suppression(rs.getString(1), Suppression.Reason.valueOf(rs.getString(2)),
                Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4));
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw SqliteDelivery.failure("suppression close", e);
        }
    }
}
