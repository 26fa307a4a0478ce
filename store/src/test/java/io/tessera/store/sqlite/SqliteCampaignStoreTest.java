package io.tessera.store.sqlite;

import io.tessera.delivery.campaign.CampaignStore;
import io.tessera.testkit.CampaignStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteCampaignStoreTest extends CampaignStoreContract {
    @TempDir
    Path dir;

    @Override
    protected CampaignStore open() {
        return new SqliteCampaignStore(dir.resolve("tessera.db"));
    }
}
