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

/** Open campaign runs in SQLite (table {@code campaign_run}; {@code not_sent} is set for runs closed by a cancel). One connection under this object's monitor; thread-safe. */
public final class SqliteCampaignRuns implements CampaignRuns {

    private final Connection c;

    public SqliteCampaignRuns(Path dbFile) {
        this.c = SqliteDelivery.open(dbFile, false);
        SqliteDelivery.execute(c, """
                CREATE TABLE IF NOT EXISTS campaign_run (
                  scope TEXT NOT NULL PRIMARY KEY, campaign TEXT NOT NULL, due_at INTEGER NOT NULL, finished INTEGER NOT NULL)
                  WITHOUT ROWID""");
        if (!hasColumn("not_sent")) {
            // Databases made before pause / cancel: the count of recipients a cancel left unsent, NULL unless cancelled.
            SqliteDelivery.execute(c, "ALTER TABLE campaign_run ADD COLUMN not_sent INTEGER");
        }
    }

    private boolean hasColumn(String name) {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pragma_table_info('campaign_run') WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw SqliteDelivery.failure("campaign run columns", e);
        }
    }

    @Override
    public synchronized void open(String campaign, String scope, Instant due) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_run(scope, campaign, due_at, finished) VALUES (?,?,?,0) "
                + "ON CONFLICT(scope) DO UPDATE SET campaign=excluded.campaign, due_at=excluded.due_at, finished=0, not_sent=NULL")) {
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
    public synchronized boolean finished(String scope) {
        try (PreparedStatement ps = c.prepareStatement("SELECT finished FROM campaign_run WHERE scope=?")) {
            ps.setString(1, scope);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        } catch (SQLException e) {
            throw SqliteDelivery.failure("campaign run finished", e);
        }
    }

    @Override
    public synchronized void cancel(String campaign, String scope, long notSent) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_run(scope, campaign, due_at, finished, not_sent) "
                + "VALUES (?,?,0,1,?) ON CONFLICT(scope) DO UPDATE SET finished=1, not_sent=excluded.not_sent")) {
            ps.setString(1, scope);
            ps.setString(2, campaign);
            ps.setLong(3, notSent);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw SqliteDelivery.failure("campaign run cancel", e);
        }
    }

    @Override
    public synchronized long notSent(String campaign) {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(not_sent), 0) FROM campaign_run WHERE campaign=?")) {
            ps.setString(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw SqliteDelivery.failure("campaign run not sent", e);
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
