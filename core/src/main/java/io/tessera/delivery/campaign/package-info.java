/**
 * Campaigns: who gets which message when, decided in pure code.
 *
 * <ul>
 *   <li>{@link io.tessera.delivery.campaign.Campaign}: the definition (audience, template, sender,
 *       schedule, local send time, throttle, holdout, variants, trigger, frequency cap, quiet hours).</li>
 *   <li>{@link io.tessera.delivery.campaign.Allocation}: deterministic holdout / variant by profile.</li>
 *   <li>{@link io.tessera.delivery.campaign.SendTime}: per-recipient time zone and quiet hours.</li>
 *   <li>{@link io.tessera.delivery.campaign.CampaignSender}: the per-recipient pipeline (checks,
 *       ledger claim, render at send time, mail, confirm) and its {@link io.tessera.delivery.campaign.SendOutcome}.</li>
 *   <li>{@link io.tessera.delivery.campaign.CampaignStats}: counts per arm, lift vs holdout with a confidence interval.</li>
 *   <li>Ports: {@link io.tessera.delivery.campaign.SegmentMembers}, {@link io.tessera.delivery.campaign.Recipients},
 *       {@link io.tessera.delivery.campaign.MessageRenderer}, {@link io.tessera.delivery.campaign.TrackingLinks}.</li>
 * </ul>
 * Driving the pipeline with threads, throttles and retries is {@code delivery}'s {@code CampaignDispatcher}.
 */
package io.tessera.delivery.campaign;
