package io.tessera.store.postgres;

import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.CampaignCodec;
import io.tessera.delivery.campaign.CampaignControl;
import io.tessera.delivery.campaign.CampaignState;
import io.tessera.delivery.campaign.CampaignStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Campaign definitions in PostgreSQL (migration {@code V7__delivery.sql}; pause / cancel state in
 * {@code campaign_state}, {@code V41__campaign_control.sql}) as their
 * {@link CampaignCodec} JSON, every put a new version, numbered under an advisory lock on the key.
 * Thread-safe; does not own the {@link PostgresDatabase}.
 */
public final class PostgresCampaignStore implements CampaignStore {
    private final PostgresDatabase db;

    public PostgresCampaignStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public int put(Campaign campaign) {
        return db.write(c -> {
            PostgresDatabase.lock(c, "campaign", campaign.key());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_version(campaign, version, definition) "
                    + "SELECT ?, coalesce(max(version), 0) + 1, ? FROM campaign_version WHERE campaign = ? RETURNING version")) {
                ps.setString(1, campaign.key());
                ps.setString(2, CampaignCodec.toJson(campaign));
                ps.setString(3, campaign.key());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public Optional<Campaign> get(String key) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT definition FROM campaign_version WHERE campaign = ? ORDER BY version DESC LIMIT 1")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(decode(key, rs.getString(1))) : Optional.<Campaign>empty();
                }
            }
        });
    }

    @Override
    public List<Campaign> list() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (campaign) campaign, definition "
                    + "FROM campaign_version ORDER BY campaign, version DESC");
                    ResultSet rs = ps.executeQuery()) {
                List<Campaign> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(decode(rs.getString(1), rs.getString(2)));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<CampaignControl> control(String key) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state, since FROM campaign_state WHERE campaign = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new CampaignControl(CampaignState.valueOf(rs.getString(1)),
                            Instant.ofEpochMilli(rs.getLong(2)))) : Optional.<CampaignControl>empty();
                }
            }
        });
    }

    @Override
    public void control(String key, CampaignControl control) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_state(campaign, state, since) VALUES (?,?,?) "
                    + "ON CONFLICT (campaign) DO UPDATE SET state = excluded.state, since = excluded.since")) {
                ps.setString(1, key);
                ps.setString(2, control.state().name());
                ps.setLong(3, control.since().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    private static Campaign decode(String key, String json) {
        return switch (CampaignCodec.parse(key, json)) {
            case CampaignCodec.Parsed.Valid v -> v.campaign();
            case CampaignCodec.Parsed.Invalid i -> throw new IllegalStateException("stored campaign " + key + " is invalid: " + i.problems());
        };
    }

    /** Nothing to release: the pool belongs to the {@link PostgresDatabase}. */
    @Override
    public void close() {
    }
}
