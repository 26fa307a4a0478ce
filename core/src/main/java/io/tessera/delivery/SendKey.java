package io.tessera.delivery;

import java.util.Objects;

/** The unit of at-most-once delivery: one campaign to one profile (a recurring run adds its run id to the campaign part). */
public record SendKey(String campaign, String profileId) {
    public SendKey {
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(profileId, "profileId");
    }
}
