package io.tessera.delivery.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.campaign.CampaignState.Action;
import io.tessera.delivery.campaign.CampaignState.Transition;
import org.junit.jupiter.api.Test;

class CampaignStateTest {

    @Test
    void activeCampaignPausesAndCancelsAndPausedOneResumes() {
        assertThat(CampaignState.ACTIVE.apply(Action.PAUSE, false)).isEqualTo(new Transition.Changed(CampaignState.PAUSED));
        assertThat(CampaignState.ACTIVE.apply(Action.CANCEL, false)).isEqualTo(new Transition.Changed(CampaignState.CANCELLED));
        assertThat(CampaignState.PAUSED.apply(Action.RESUME, false)).isEqualTo(new Transition.Changed(CampaignState.ACTIVE));
        assertThat(CampaignState.PAUSED.apply(Action.CANCEL, false)).isEqualTo(new Transition.Changed(CampaignState.CANCELLED));
    }

    @Test
    void repeatingAnActionChangesNothingAndIsNotAnError() {
        assertThat(CampaignState.PAUSED.apply(Action.PAUSE, false)).isEqualTo(new Transition.Unchanged(CampaignState.PAUSED));
        assertThat(CampaignState.ACTIVE.apply(Action.RESUME, false)).isEqualTo(new Transition.Unchanged(CampaignState.ACTIVE));
        assertThat(CampaignState.CANCELLED.apply(Action.CANCEL, true)).isEqualTo(new Transition.Unchanged(CampaignState.CANCELLED));
    }

    @Test
    void cancelledCampaignRefusesEverythingElseWithAReasonCode() {
        for (Action a : new Action[] {Action.START, Action.PAUSE, Action.RESUME}) {
            assertThat(CampaignState.CANCELLED.apply(a, false)).as(a.name())
                    .isInstanceOfSatisfying(Transition.Refused.class, r -> assertThat(r.code()).isEqualTo("campaign_cancelled"));
        }
    }

    @Test
    void finishedCampaignHasNothingToPauseResumeOrCancelButMayBeStartedAgain() {
        for (Action a : new Action[] {Action.PAUSE, Action.RESUME, Action.CANCEL}) {
            assertThat(CampaignState.ACTIVE.apply(a, true)).as(a.name())
                    .isInstanceOfSatisfying(Transition.Refused.class, r -> assertThat(r.code()).isEqualTo("campaign_finished"));
        }
        assertThat(CampaignState.ACTIVE.apply(Action.START, true)).isEqualTo(new Transition.Unchanged(CampaignState.ACTIVE));
        assertThat(CampaignState.PAUSED.apply(Action.START, false))
                .isInstanceOfSatisfying(Transition.Refused.class, r -> assertThat(r.code()).isEqualTo("campaign_paused"));
    }
}
