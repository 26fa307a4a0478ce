package io.tessera.delivery.campaign;

import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.Mailer;
import io.tessera.delivery.OutgoingMessage;
import io.tessera.delivery.SendKey;
import io.tessera.delivery.SendLedger;
import io.tessera.delivery.SuppressionList;
import io.tessera.delivery.bounce.Bounce;
import io.tessera.delivery.bounce.BounceEvents;
import io.tessera.delivery.bounce.BounceRecorder;
import io.tessera.delivery.bounce.SmtpStatus;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The per-recipient send pipeline: checks, claim, render with the latest profile, mail, confirm.
 *
 * <p>Order matters for the at-most-once invariant: the ledger row is claimed durably before
 * rendering and mailing; the mailer's {@link io.tessera.delivery.CommitPoint} marks it
 * COMMITTING right before the point of no return; the outcome is confirmed afterwards. Checks
 * that depend on time or membership (local send time, quiet hours, trigger re-check) run first
 * and write nothing, so a deferred recipient can be tried again.
 *
 * <p>Stateless apart from its collaborators; safe to call from many threads at once (the
 * dispatcher's workers do), as long as one (campaign, profile) is not sent concurrently — the
 * ledger claim makes even that safe.
 */
public final class CampaignSender {

    private final SendLedger ledger;
    private final SuppressionList suppressions;
    private final Mailer mailer;
    private final MessageRenderer renderer;
    private final Recipients recipients;
    private final SegmentMembers segments;
    private final TrackingLinks tracking;
    private final InstantSource clock;
    private final String messageIdDomain;
    private final BounceRecorder bounces;

    /** A sender whose bounces suppress and mark the ledger but are not reported as profile events. */
    public CampaignSender(SendLedger ledger, SuppressionList suppressions, Mailer mailer, MessageRenderer renderer,
                          Recipients recipients, SegmentMembers segments, TrackingLinks tracking, InstantSource clock,
                          String messageIdDomain) {
        this(ledger, suppressions, mailer, renderer, recipients, segments, tracking, clock, messageIdDomain, BounceEvents.NONE);
    }

    /** @param bounceEvents where a bounce becomes an "Email Bounced" event on the profile */
    public CampaignSender(SendLedger ledger, SuppressionList suppressions, Mailer mailer, MessageRenderer renderer,
                          Recipients recipients, SegmentMembers segments, TrackingLinks tracking, InstantSource clock,
                          String messageIdDomain, BounceEvents bounceEvents) {
        this.ledger = ledger;
        this.suppressions = suppressions;
        this.mailer = mailer;
        this.renderer = renderer;
        this.recipients = recipients;
        this.segments = segments;
        this.tracking = tracking;
        this.clock = clock;
        this.messageIdDomain = messageIdDomain;
        this.bounces = new BounceRecorder(suppressions, ledger, bounceEvents, clock);
    }

    /**
     * Runs the pipeline for one profile.
     *
     * @param scope  the ledger's campaign part: the campaign key, or key plus run / trigger-entry id
     * @param due    when this run was due; local send time and quiet hours are counted from it, so a
     *               follow-up run at 09:00:05 still sends the 09:00 recipients
     */
    public SendOutcome send(Campaign campaign, String scope, String profileId, Instant due) {
        return send(campaign, scope, profileId, due, false);
    }

    /**
     * As {@link #send(Campaign, String, String, Instant)}; on the {@code finalAttempt} a 4xx reply
     * naming this recipient (after the mailer's own retries) is recorded as a soft bounce instead of
     * deferring again. A relay that cannot be reached, or that closes the session (421), never
     * bounces a recipient: that is an outage, and the recipient stays deferred.
     */
    public SendOutcome send(Campaign campaign, String scope, String profileId, Instant due, boolean finalAttempt) {
        Instant now = clock.instant();
        Optional<Profile> maybeProfile = recipients.profile(profileId);
        if (maybeProfile.isEmpty()) {
            return new SendOutcome.Skipped("no_profile");
        }
        Profile profile = maybeProfile.get();
        if (campaign.trigger().isPresent() && !segments.contains(campaign.trigger().get().segment(), profileId)) {
            return new SendOutcome.Skipped("left_segment");
        }
        if (campaign.audience().excluding().isPresent()
                && segments.contains(campaign.audience().excluding().get(), profileId)) {
            return new SendOutcome.Skipped("excluded");
        }
        Instant earliest = SendTime.earliest(campaign, trait(profile, "timezone"), due.isAfter(now) ? now : due);
        if (earliest.isAfter(now)) {
            return new SendOutcome.Deferred("local_time", earliest);
        }
        SendKey key = new SendKey(scope, profileId);
        String messageId = MessageIds.of(key, messageIdDomain);
        String arm = Allocation.arm(campaign, profileId);
        Optional<String> address = address(profile);
        String skip = arm.equals(Allocation.HOLDOUT) ? "holdout"
                : address.isEmpty() ? "no_email"
                : suppressions.find(address.get()).map(s -> "suppressed_" + s.reason().name().toLowerCase(java.util.Locale.ROOT)).orElse(null);
        if (skip == null) {
            skip = Consent.skip(campaign.topic(), profile).orElse(null);
        }
        if (skip == null && campaign.frequencyCap().isPresent()) {
            Campaign.FrequencyCap cap = campaign.frequencyCap().get();
            if (ledger.sentSince(profileId, now.minus(cap.period())) >= cap.max()) {
                skip = "frequency_cap";
            }
        }
        if (ledger.claim(key, messageId, arm, now) == SendLedger.Claim.ALREADY_TAKEN) {
            return new SendOutcome.AlreadyHandled();
        }
        if (skip != null) {
            ledger.confirm(key, SendLedger.Stage.SKIPPED, skip, now);
            return new SendOutcome.Skipped(skip);
        }
        Campaign.Variant variant = campaign.variants().stream().filter(v -> v.name().equals(arm)).findFirst()
                .orElse(campaign.variants().getFirst());
        Map<String, Object> context = Map.of("campaign", campaign.key(), "variant", arm, "messageId", messageId);
        MessageRenderer.Rendered rendered = renderer.render(new MessageRenderer.Request(
                variant.template().orElse(campaign.template()), variant.subject(), profile, context));
        if (rendered instanceof MessageRenderer.Failed failed) {
            ledger.confirm(key, SendLedger.Stage.SKIPPED, "render_failed:" + failed.code(), clock.instant());
            return new SendOutcome.Skipped("render_failed");
        }
        MessageRenderer.Message m = (MessageRenderer.Message) rendered;
        OutgoingMessage message = new OutgoingMessage(messageId, campaign.sender().mailbox(), address.get(), m.subject(),
                tracking.decorate(m.html(), key, messageId), m.text(), m.amp(),
                headers(campaign, arm, key, messageId, m.headers()));
        DeliveryVerdict verdict = mailer.send(message, () -> ledger.committing(key));
        return switch (verdict) {
            case DeliveryVerdict.Delivered d -> {
                ledger.confirm(key, SendLedger.Stage.DELIVERED, d.reply(), clock.instant());
                yield new SendOutcome.Sent(messageId, arm);
            }
            case DeliveryVerdict.PermanentFailure p -> bounced(key, messageId, address.get(), p.code(), p.reply());
            case DeliveryVerdict.TemporaryFailure t when finalAttempt && t.code() >= 400 && t.code() < 500 && t.code() != 421 ->
                    bounced(key, messageId, address.get(), t.code(), t.reply());
            case DeliveryVerdict.TemporaryFailure t -> {
                ledger.release(key);
                yield new SendOutcome.Deferred("temporary_failure " + t.code() + " " + t.reply(), clock.instant());
            }
        };
    }

    private Map<String, String> headers(Campaign campaign, String arm, SendKey key, String messageId,
                                        Map<String, String> fromTemplate) {
        Map<String, String> h = new LinkedHashMap<>(fromTemplate);
        Optional<String> oneClick = tracking.unsubscribeUrl(key, messageId);
        // Only the HTTPS one-click URL when there is one: Tessera reads no mailbox for unsubscribe
        // requests, and a mailto: nobody reads would silently drop the unsubscribes mail clients send there.
        String mailto = "<mailto:unsubscribe@" + OutgoingMessage.domainOf(campaign.sender().address())
                + "?subject=unsubscribe%20" + messageId.substring(0, messageId.indexOf('@')) + ">";
        h.put("List-Unsubscribe", oneClick.map(u -> "<" + u + ">").orElse(mailto));
        oneClick.ifPresent(u -> h.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
        h.put("X-Tessera-Campaign", campaign.key());
        h.put("X-Tessera-Variant", arm);
        return h;
    }

    /** The relay's reply bounced the message: BOUNCED in the ledger, then the bounce takes effect (hard → suppressed). */
    private SendOutcome bounced(SendKey key, String messageId, String address, int code, String reply) {
        SmtpStatus status = SmtpStatus.of(code, reply);
        ledger.confirm(key, SendLedger.Stage.BOUNCED, status.type().wireName() + " " + code + " " + reply, clock.instant());
        bounces.record(new Bounce(status.type(), address, Optional.of(messageId), Optional.of(key), status, reply, "smtp",
                clock.instant()));
        return new SendOutcome.Bounced(messageId, code, reply);
    }

    static Optional<String> address(Profile profile) {
        return trait(profile, "email").or(() -> profile.firstIdentity(IdentityKind.EMAIL));
    }

    private static Optional<String> trait(Profile profile, String name) {
        return Optional.ofNullable(profile.traits().get(name)).map(t -> t.value())
                .filter(v -> v instanceof String s && !s.isBlank()).map(String.class::cast);
    }
}
