package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.campaign.CampaignRuns;
import io.tessera.delivery.campaign.CampaignRuns.Run;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CampaignRuns} adapter must do, on its real technology: open runs listed oldest
 * due first until finished, a reopened scope open again with its new due time, a cancelled run
 * closed with its count of recipients not sent, all surviving
 * reopening (which is the point: a restarted node resumes them).
 */
public abstract class CampaignRunsContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final List<CampaignRuns> opened = Collections.synchronizedList(new ArrayList<>());

    /** Runs on this test's storage; opening again must see the same runs. */
    protected abstract CampaignRuns open();

    protected final CampaignRuns runs() {
        CampaignRuns r = open();
        opened.add(r);
        return r;
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(CampaignRuns::close);
    }

    @Test
    void openRunsSurviveReopeningUntilFinishedOldestDueFirst() {
        CampaignRuns runs = runs();
        runs.open("spring", "spring@1", T0.plusSeconds(60));
        runs.open("weekly", "weekly@recurring", T0);
        runs.open("autumn", "autumn@1", T0.plusSeconds(30));
        runs.finish("autumn@1");
        runs.finish("never-opened");

        CampaignRuns reopened = runs();
        assertThat(reopened.openRuns()).containsExactly(new Run("weekly", "weekly@recurring", T0),
                new Run("spring", "spring@1", T0.plusSeconds(60)));
    }

    @Test
    void reopeningAFinishedScopeMakesItOpenAgainWithTheNewDueTime() {
        CampaignRuns runs = runs();
        runs.open("weekly", "weekly@recurring", T0);
        runs.finish("weekly@recurring");
        runs.open("weekly", "weekly@recurring", T0.plusSeconds(604_800));

        assertThat(runs.openRuns()).containsExactly(new Run("weekly", "weekly@recurring", T0.plusSeconds(604_800)));
    }

    @Test
    void aCancelledRunIsClosedWithHowManyItDidNotSend() {
        CampaignRuns runs = runs();
        runs.open("spring", "spring", T0);
        runs.open("weekly", "weekly@" + T0, T0);
        assertThat(runs.finished("spring")).isFalse();
        assertThat(runs.finished("never-opened")).isFalse();

        runs.cancel("spring", "spring", 40);
        runs.cancel("spring", "spring#pending", 3);
        runs.cancel("spring", "spring", 42);

        CampaignRuns reopened = runs();
        assertThat(reopened.openRuns()).containsExactly(new Run("weekly", "weekly@" + T0, T0));
        assertThat(reopened.finished("spring")).isTrue();
        assertThat(reopened.notSent("spring")).as("a repeated cancel replaces the run's count").isEqualTo(45);
        assertThat(reopened.notSent("weekly")).isZero();
        reopened.finish("weekly@" + T0);
        assertThat(reopened.finished("weekly@" + T0)).isTrue();
        assertThat(reopened.notSent("weekly")).isZero();
    }
}
