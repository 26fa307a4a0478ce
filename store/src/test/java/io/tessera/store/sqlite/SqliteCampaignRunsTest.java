package io.tessera.store.sqlite;

import io.tessera.delivery.campaign.CampaignRuns;
import io.tessera.testkit.CampaignRunsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteCampaignRunsTest extends CampaignRunsContract {
    @TempDir
    Path dir;

    @Override
    protected CampaignRuns open() {
        return new SqliteCampaignRuns(dir.resolve("tessera.db"));
    }
}
