package io.tessera.store.postgres;

import io.tessera.delivery.campaign.CampaignRuns;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Open campaign runs in PostgreSQL (migrations {@code V12__campaign_runs.sql}, {@code V41__campaign_control.sql}), one row per run
 * scope; reopening a scope resets it to open. Thread-safe; does not own the {@link PostgresDatabase}.
 */
public final class PostgresCampaignRuns implements CampaignRuns {
    private final PostgresDatabase db;

    public PostgresCampaignRuns(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void open(String campaign, String scope, Instant due) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_run(scope, campaign, due_at, finished) "
                    + "VALUES (?,?,?,false) ON CONFLICT (scope) DO UPDATE SET campaign = excluded.campaign, "
                    + "due_at = excluded.due_at, finished = false, not_sent = NULL")) {
                ps.setString(1, scope);
                ps.setString(2, campaign);
                ps.setLong(3, due.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void finish(String scope) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE campaign_run SET finished = true WHERE scope = ?")) {
                ps.setString(1, scope);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Run> openRuns() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT campaign, scope, due_at FROM campaign_run WHERE NOT finished ORDER BY due_at, scope");
                    ResultSet rs = ps.executeQuery()) {
                List<Run> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Run(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
                }
                return out;
            }
        });
    }

    @Override
    public boolean finished(String scope) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT finished FROM campaign_run WHERE scope = ?")) {
                ps.setString(1, scope);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
    }

    @Override
    public void cancel(String campaign, String scope, long notSent) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_run(scope, campaign, due_at, finished, not_sent) "
                    + "VALUES (?,?,0,true,?) ON CONFLICT (scope) DO UPDATE SET finished = true, not_sent = excluded.not_sent")) {
                ps.setString(1, scope);
                ps.setString(2, campaign);
                ps.setLong(3, notSent);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long notSent(String campaign) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT coalesce(sum(not_sent), 0) FROM campaign_run WHERE campaign = ?")) {
                ps.setString(1, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Nothing to release: the pool belongs to the {@link PostgresDatabase}. */
    @Override
    public void close() {
    }
}
