package io.tessera.delivery.campaign;

import java.time.Instant;
import java.util.Objects;

/**
 * One recipient of one campaign run, as a unit of work for whichever node takes it: the campaign
 * key (its definition is read when the job runs), the send ledger scope, the profile and when the
 * run was due (local send time and quiet hours count from it).
 */
public record SendJob(String campaign, String scope, String profileId, Instant due) {
    public SendJob {
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(profileId, "profileId");
        Objects.requireNonNull(due, "due");
    }
}
