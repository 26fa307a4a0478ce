package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.CampaignControl;
import io.tessera.delivery.campaign.CampaignState;
import io.tessera.delivery.campaign.CampaignStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CampaignStore} adapter must do, on its real technology: each put a new version
 * per key, the newest one returned and listed (in key order), equal to what was put; the pause /
 * cancel state kept apart from the versions and surviving reopening.
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

    @Test
    void pauseAndCancelStateIsDurableAndAnEditKeepsIt() {
        CampaignStore store = store();
        Instant t0 = Instant.parse("2026-11-02T09:00:00Z");
        store.put(Campaign.simple("spring", "vip", "welcome", "news@example.com"));
        assertThat(store.control("spring")).as("never paused: no state stored, i.e. active").isEmpty();

        store.control("spring", new CampaignControl(CampaignState.PAUSED, t0));
        store.put(Campaign.simple("spring", "churned", "winback", "news@example.com"));
        store.control("autumn", new CampaignControl(CampaignState.CANCELLED, t0.plusSeconds(5)));

        CampaignStore reopened = store();
        assertThat(reopened.control("spring")).contains(new CampaignControl(CampaignState.PAUSED, t0));
        assertThat(reopened.control("autumn")).contains(new CampaignControl(CampaignState.CANCELLED, t0.plusSeconds(5)));
        reopened.control("spring", new CampaignControl(CampaignState.ACTIVE, t0.plusSeconds(60)));
        assertThat(store().control("spring")).contains(new CampaignControl(CampaignState.ACTIVE, t0.plusSeconds(60)));
        assertThat(store().control("missing")).isEmpty();
    }
}
