package io.tessera.store.postgres;

import io.tessera.delivery.campaign.CampaignRuns;
import io.tessera.testkit.CampaignRunsContract;
import org.junit.jupiter.api.AfterEach;

class PostgresCampaignRunsTest extends CampaignRunsContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected CampaignRuns open() {
        return new PostgresCampaignRuns(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
