package io.tessera.delivery.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.SendLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignStatsTest {

    static SendLedger.Row row(String profile, String arm, SendLedger.Stage stage) {
        return new SendLedger.Row(new SendKey("c", profile), profile + "@m", arm, stage, Instant.EPOCH);
    }

    @Test
    void countsPerArmAndLiftOverHoldoutWithItsInterval() {
        List<SendLedger.Row> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(row("v" + i, "A", i < 990 ? SendLedger.Stage.DELIVERED : SendLedger.Stage.BOUNCED));
        }
        for (int i = 0; i < 1000; i++) {
            rows.add(row("h" + i, Allocation.HOLDOUT, SendLedger.Stage.SKIPPED));
        }
        rows.add(row("s1", "A", SendLedger.Stage.SKIPPED));
        CampaignStats stats = CampaignStats.of(rows, id -> {
            int n = Integer.parseInt(id.substring(1));
            if (id.startsWith("v")) {
                return new CampaignStats.Engagement(n < 400 ? 2 : 0, n < 100 ? 1 : 0, n == 5, false, n < 30, n < 60);
            }
            return new CampaignStats.Engagement(0, 0, false, false, false, id.startsWith("h") && n < 40);
        });

        CampaignStats.Arm a = stats.arms().get("A");
        assertThat(a.sent()).isEqualTo(1000);
        assertThat(a.delivered()).isEqualTo(990);
        assertThat(a.bounced()).isEqualTo(10);
        assertThat(a.skipped()).isEqualTo(1);
        assertThat(a.openedUnique()).isEqualTo(400);
        assertThat(a.openedTotal()).isEqualTo(800);
        assertThat(a.clickedUnique()).isEqualTo(100);
        assertThat(a.unsubscribed()).isEqualTo(1);
        assertThat(a.converted()).isEqualTo(30);
        assertThat(stats.arms().get(Allocation.HOLDOUT).sent()).isZero();

        CampaignStats.Lift lift = stats.liftVsHoldout().get("A");
        assertThat(lift.difference()).isCloseTo(0.02, offset(1e-9));
        assertThat(lift.relative()).isCloseTo(0.5, offset(1e-9));
        // sqrt(.06*.94/1000 + .04*.96/1000) = 0.009737; ×1.96 = 0.01908
        assertThat(lift.low()).isCloseTo(0.02 - 0.01908, offset(1e-4));
        assertThat(lift.high()).isCloseTo(0.02 + 0.01908, offset(1e-4));
    }

    @Test
    void noHoldoutMeansNoLift() {
        CampaignStats stats = CampaignStats.of(List.of(row("v1", "A", SendLedger.Stage.DELIVERED)),
                id -> CampaignStats.Engagement.NONE);
        assertThat(stats.liftVsHoldout()).isEmpty();
    }
}
