package io.tessera.delivery.campaign;

import java.time.Instant;
import java.util.Objects;

/** A campaign's {@link CampaignState} and since when; a campaign never paused or cancelled has none stored (active). */
public record CampaignControl(CampaignState state, Instant since) {
    public CampaignControl {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }
}
