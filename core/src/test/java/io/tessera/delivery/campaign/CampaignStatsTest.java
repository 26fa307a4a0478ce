package io.tessera.delivery.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.SendLedger;
import io.tessera.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    static final Duration WEEK = Duration.ofDays(7);

    static Event click(String campaign, Instant at) {
        return Event.track("c" + campaign + at, "u1", "Email Link Clicked", Map.of("campaign", campaign), at);
    }

    static Event order(Instant at) {
        return Event.track("o" + at, "u1", "Order Completed", Map.of("revenue", 10), at);
    }

    @Test
    void anOrderIsAttributedToTheLastClickBeforeItNotToEarlierClicksOfOtherCampaigns() {
        List<Event> history = List.of(click("autumn", T0.plus(Duration.ofHours(1))),
                click("winter", T0.plus(Duration.ofDays(1))), order(T0.plus(Duration.ofDays(2))));

        assertThat(CampaignStats.engagement("autumn", history, Optional.of(T0), WEEK).convertedAfterClick()).isFalse();
        assertThat(CampaignStats.engagement("autumn", history, Optional.of(T0), WEEK).orderedInWindow()).isTrue();
        assertThat(CampaignStats.engagement("winter", history, Optional.of(T0), WEEK).convertedAfterClick()).isTrue();
        assertThat(CampaignStats.engagement("autumn", history, Optional.of(T0), WEEK).clicks()).isEqualTo(1);
    }

    @Test
    void anOrderCountsOnlyWithinTheWindowAfterTheLastClickAndNeverBeforeAClick() {
        Instant clicked = T0.plus(Duration.ofHours(1));
        List<Event> late = List.of(click("autumn", clicked), order(clicked.plus(WEEK)));
        List<Event> inTime = List.of(click("autumn", clicked), order(clicked.plus(WEEK).minusSeconds(1)));
        List<Event> before = List.of(order(clicked.minusSeconds(1)), click("autumn", clicked));
        List<Event> noClick = List.of(order(clicked));

        assertThat(CampaignStats.engagement("autumn", late, Optional.of(T0), WEEK).convertedAfterClick()).isFalse();
        assertThat(CampaignStats.engagement("autumn", inTime, Optional.of(T0), WEEK).convertedAfterClick()).isTrue();
        assertThat(CampaignStats.engagement("autumn", before, Optional.of(T0), WEEK).convertedAfterClick()).isFalse();
        CampaignStats.Engagement holdout = CampaignStats.engagement("autumn", noClick, Optional.of(T0), WEEK);
        assertThat(holdout.convertedAfterClick()).isFalse();
        assertThat(holdout.orderedInWindow()).as("the holdout's only outcome").isTrue();
        assertThat(CampaignStats.engagement("autumn", noClick, Optional.empty(), WEEK).orderedInWindow()).isFalse();
    }
}
