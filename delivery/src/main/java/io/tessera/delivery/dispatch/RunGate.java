package io.tessera.delivery.dispatch;

/**
 * Whether a campaign run may claim more recipients: closed while the campaign is paused or after
 * it was cancelled. The dispatcher asks between batches (before each page of the audience, before
 * each recipient is handed to a worker, before each retry round); what was already claimed
 * finishes. Must be cheap and thread-safe: it is asked once per recipient.
 */
@FunctionalInterface
public interface RunGate {

    /** Never closes: campaigns that cannot be paused (tests, the demo). */
    RunGate OPEN = campaignKey -> true;

    boolean mayClaim(String campaignKey);
}
