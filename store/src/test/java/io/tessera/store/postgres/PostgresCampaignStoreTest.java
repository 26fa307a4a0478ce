package io.tessera.store.postgres;

import io.tessera.delivery.campaign.CampaignStore;
import io.tessera.testkit.CampaignStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresCampaignStoreTest extends CampaignStoreContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected CampaignStore open() {
        return new PostgresCampaignStore(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
