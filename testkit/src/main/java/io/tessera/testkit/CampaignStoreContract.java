package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.CampaignStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CampaignStore} adapter must do, on its real technology: each put a new version
 * per key, the newest one returned and listed (in key order), equal to what was put.
 */
public abstract class CampaignStoreContract {
    private final List<CampaignStore> opened = Collections.synchronizedList(new ArrayList<>());

    /** A store on this test's storage; opening again must see the same campaigns. */
    protected abstract CampaignStore open();

    protected final CampaignStore store() {
        CampaignStore s = open();
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(CampaignStore::close);
    }

    @Test
    void everyPutIsANewVersionAndTheNewestIsReturned() {
        CampaignStore store = store();
        Campaign first = Campaign.simple("spring", "vip", "welcome", "news@example.com");
        Campaign second = Campaign.simple("spring", "churned", "winback", "news@example.com");
        Campaign other = Campaign.simple("autumn", "all", "welcome", "news@example.com");

        assertThat(store.put(first)).isEqualTo(1);
        assertThat(store.put(second)).isEqualTo(2);
        assertThat(store.put(other)).isEqualTo(1);

        CampaignStore reopened = store();
        assertThat(reopened.get("spring")).contains(second);
        assertThat(reopened.get("missing")).isEmpty();
        assertThat(reopened.list()).containsExactly(other, second);
    }
}
