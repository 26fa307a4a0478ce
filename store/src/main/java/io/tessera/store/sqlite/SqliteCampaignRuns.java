package io.tessera.store.sqlite;

import io.tessera.delivery.campaign.CampaignRuns;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Open campaign runs in SQLite (table {@code campaign_run}). One connection under this object's monitor; thread-safe. */
public final class SqliteCampaignRuns implements CampaignRuns {

    private final Connection c;

    public SqliteCampaignRuns(Path dbFile) {
        this.c = SqliteDelivery.open(dbFile, false);
        SqliteDelivery.execute(c, """
                CREATE TABLE IF NOT EXISTS campaign_run (
                  scope TEXT NOT NULL PRIMARY KEY, campaign TEXT NOT NULL, due_at INTEGER NOT NULL, finished INTEGER NOT NULL)
                  WITHOUT ROWID""");
    }

    @Override
    public synchronized void open(String campaign, String scope, Instant due) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_run VALUES (?,?,?,0) "
                + "ON CONFLICT(scope) DO UPDATE SET campaign=excluded.campaign, due_at=excluded.due_at, finished=0")) {
            ps.setString(1, scope);
            ps.setString(2, campaign);
            ps.setLong(3, due.toEpochMilli());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw SqliteDelivery.failure("campaign run open", e);
        }
    }

    @Override
    public synchronized void finish(String scope) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE campaign_run SET finished=1 WHERE scope=?")) {
            ps.setString(1, scope);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw SqliteDelivery.failure("campaign run finish", e);
        }
    }

    @Override
    public synchronized List<Run> openRuns() {
        List<Run> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT campaign, scope, due_at FROM campaign_run WHERE finished=0 ORDER BY due_at, scope");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Run(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
            }
            return out;
        } catch (SQLException e) {
            throw SqliteDelivery.failure("campaign runs", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw SqliteDelivery.failure("campaign runs close", e);
        }
    }
}
