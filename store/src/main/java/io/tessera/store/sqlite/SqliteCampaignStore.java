package io.tessera.store.sqlite;

import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.CampaignCodec;
import io.tessera.delivery.campaign.CampaignControl;
import io.tessera.delivery.campaign.CampaignState;
import io.tessera.delivery.campaign.CampaignStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Campaign definitions in SQLite as their JSON form, every save a new version; pause / cancel state in {@code campaign_state}. One connection under this object's monitor; thread-safe. */
public final class SqliteCampaignStore implements CampaignStore {

    private final Connection c;

    public SqliteCampaignStore(Path dbFile) {
        this.c = SqliteDelivery.open(dbFile, false);
        SqliteDelivery.execute(c, """
                CREATE TABLE IF NOT EXISTS campaign_version (
                  campaign TEXT NOT NULL, version INTEGER NOT NULL, definition TEXT NOT NULL,
                  PRIMARY KEY (campaign, version)) WITHOUT ROWID""", """
                CREATE TABLE IF NOT EXISTS campaign_state (
                  campaign TEXT NOT NULL PRIMARY KEY, state TEXT NOT NULL, since INTEGER NOT NULL) WITHOUT ROWID""");
    }

    @Override
    public synchronized int put(Campaign campaign) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_version SELECT ?, coalesce(max(version), 0) + 1, ? "
                + "FROM campaign_version WHERE campaign = ? RETURNING version")) {
            ps.setString(1, campaign.key());
            ps.setString(2, CampaignCodec.toJson(campaign));
            ps.setString(3, campaign.key());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw SqliteDelivery.failure("campaign put", e);
        }
    }

    @Override
    public synchronized Optional<Campaign> get(String key) {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT definition FROM campaign_version WHERE campaign = ? ORDER BY version DESC LIMIT 1")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(decode(key, rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqliteDelivery.failure("campaign get", e);
        }
    }

    @Override
    public synchronized List<Campaign> list() {
        List<Campaign> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT campaign, definition FROM campaign_version v WHERE version = "
                + "(SELECT max(version) FROM campaign_version w WHERE w.campaign = v.campaign) ORDER BY campaign");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(decode(rs.getString(1), rs.getString(2)));
            }
            return out;
        } catch (SQLException e) {
            throw SqliteDelivery.failure("campaign list", e);
        }
    }

    @Override
    public synchronized Optional<CampaignControl> control(String key) {
        try (PreparedStatement ps = c.prepareStatement("SELECT state, since FROM campaign_state WHERE campaign = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new CampaignControl(CampaignState.valueOf(rs.getString(1)),
                        Instant.ofEpochMilli(rs.getLong(2)))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqliteDelivery.failure("campaign state get", e);
        }
    }

    @Override
    public synchronized void control(String key, CampaignControl control) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_state VALUES (?,?,?) "
                + "ON CONFLICT(campaign) DO UPDATE SET state=excluded.state, since=excluded.since")) {
            ps.setString(1, key);
            ps.setString(2, control.state().name());
            ps.setLong(3, control.since().toEpochMilli());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw SqliteDelivery.failure("campaign state put", e);
        }
    }

    private static Campaign decode(String key, String json) {
        return switch (CampaignCodec.parse(key, json)) {
            case CampaignCodec.Parsed.Valid v -> v.campaign();
            case CampaignCodec.Parsed.Invalid i -> throw new IllegalStateException("stored campaign " + key + " is invalid: " + i.problems());
        };
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw SqliteDelivery.failure("campaign close", e);
        }
    }
}
