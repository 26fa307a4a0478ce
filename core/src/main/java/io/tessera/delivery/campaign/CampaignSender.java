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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
        Decision decision = decide(campaign, scope, profileId, due);
        if (!(decision instanceof Candidate c)) {
            return ((Decision.Settled) decision).outcome();
        }
        Instant now = clock.instant();
        if (ledger.claim(c.key(), c.messageId(), c.arm(), now) == SendLedger.Claim.ALREADY_TAKEN) {
            return new SendOutcome.AlreadyHandled();
        }
        if (c.skip().isPresent()) {
            ledger.confirm(c.key(), SendLedger.Stage.SKIPPED, c.skip().get(), now);
            return new SendOutcome.Skipped(c.skip().get());
        }
        Prepared prepared = prepare(campaign, c);
        if (prepared instanceof Prepared.Unsendable u) {
            ledger.confirm(c.key(), SendLedger.Stage.SKIPPED, u.reason(), clock.instant());
            return new SendOutcome.Skipped(u.outcome());
        }
        List<SendLedger.Confirmation> confirmations = new ArrayList<>(1);
        SendOutcome outcome = deliver((Prepared.Ready) prepared, finalAttempt, confirmations);
        ledger.confirmAll(confirmations, clock.instant());
        return outcome;
    }

    /** What the checks decided for one recipient before anything is written to the ledger. */
    public sealed interface Decision {
        /** Nothing to claim: no profile, left the trigger segment, excluded, or not yet its local send time. */
        record Settled(SendOutcome outcome) implements Decision {}
    }

    /**
     * A recipient to claim: the ledger row's key, Message-ID and arm, the profile the checks saw,
     * and, when it must not be mailed (holdout, no address, suppressed, no consent, frequency cap),
     * the skip code to confirm right after the claim. {@code readAt}: when the profile was read.
     */
    public record Candidate(SendKey key, String messageId, String arm, Profile profile, Instant readAt,
                            Optional<String> address, Optional<String> skip) implements Decision {}

    /** A claimed candidate rendered into a message, or the reason it cannot be sent (its row is confirmed SKIPPED). */
    public sealed interface Prepared {
        Candidate candidate();

        /** Ready to mail; its data is as old as {@code candidate().readAt()} (for the staleness limit). */
        record Ready(Candidate candidate, OutgoingMessage message) implements Prepared {}

        /** {@code reason} goes to the ledger, {@code outcome} is the outcome code. */
        record Unsendable(Candidate candidate, String reason, String outcome) implements Prepared {}
    }

    /**
     * The checks for one profile, in the order that keeps them free of writes: profile, trigger
     * re-check, exclusion, local send time; then the Message-ID, the arm and any skip code.
     * Reads only; whatever it returns, nothing has been recorded yet.
     */
    public Decision decide(Campaign campaign, String scope, String profileId, Instant due) {
        Instant now = clock.instant();
        Optional<Profile> maybeProfile = recipients.profile(profileId);
        if (maybeProfile.isEmpty()) {
            return new Decision.Settled(new SendOutcome.Skipped("no_profile"));
        }
        Profile profile = maybeProfile.get();
        if (campaign.trigger().isPresent() && !segments.contains(campaign.trigger().get().segment(), profileId)) {
            return new Decision.Settled(new SendOutcome.Skipped("left_segment"));
        }
        if (campaign.audience().excluding().isPresent()
                && segments.contains(campaign.audience().excluding().get(), profileId)) {
            return new Decision.Settled(new SendOutcome.Skipped("excluded"));
        }
        Instant earliest = SendTime.earliest(campaign, trait(profile, "timezone"), due.isAfter(now) ? now : due);
        if (earliest.isAfter(now)) {
            return new Decision.Settled(new SendOutcome.Deferred("local_time", earliest));
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
        return new Candidate(key, messageId, arm, profile, now, address, Optional.ofNullable(skip));
    }

    /** Renders a claimed candidate with the profile it carries (call {@link #refresh} first for the latest). */
    public Prepared prepare(Campaign campaign, Candidate c) {
        if (c.address().isEmpty()) {
            return new Prepared.Unsendable(c, "no_email", "no_email");
        }
        Campaign.Variant variant = campaign.variants().stream().filter(v -> v.name().equals(c.arm())).findFirst()
                .orElse(campaign.variants().getFirst());
        Map<String, Object> context = Map.of("campaign", campaign.key(), "variant", c.arm(), "messageId", c.messageId());
        MessageRenderer.Rendered rendered = renderer.render(new MessageRenderer.Request(
                variant.template().orElse(campaign.template()), variant.subject(), c.profile(), context));
        if (rendered instanceof MessageRenderer.Failed failed) {
            return new Prepared.Unsendable(c, "render_failed:" + failed.code(), "render_failed");
        }
        MessageRenderer.Message m = (MessageRenderer.Message) rendered;
        OutgoingMessage message = new OutgoingMessage(c.messageId(), campaign.sender().mailbox(), c.address().get(),
                m.subject(), tracking.decorate(m.html(), c.key(), c.messageId()), m.text(), m.amp(),
                headers(campaign, c.arm(), c.key(), c.messageId(), m.headers()));
        return new Prepared.Ready(c, message);
    }

    /**
     * The candidate with the profile as it is now (for a message rendered ahead that grew older
     * than its staleness limit); a profile that vanished or lost its address keeps the old one
     * minus the address, so {@link #prepare} skips it.
     */
    public Candidate refresh(Candidate c) {
        Instant now = clock.instant();
        Optional<Profile> latest = recipients.profile(c.key().profileId());
        return latest.map(p -> new Candidate(c.key(), c.messageId(), c.arm(), p, now, address(p), c.skip()))
                .orElseGet(() -> new Candidate(c.key(), c.messageId(), c.arm(), c.profile(), now, Optional.empty(), c.skip()));
    }

    /**
     * Mails a claimed, rendered message: marks the row COMMITTING at the mailer's point of no
     * return, then records the verdict. A delivery is NOT confirmed here but added to
     * {@code confirmations} for the caller to record in one batch ({@link SendLedger#confirmAll}):
     * until then the row stays COMMITTING, which a restart counts as sent, so a lost batch never
     * resends. Bounces and 4xx releases are recorded at once (a released row is sent again).
     */
    public SendOutcome deliver(Prepared.Ready ready, boolean finalAttempt, List<SendLedger.Confirmation> confirmations) {
        Candidate c = ready.candidate();
        SendKey key = c.key();
        String messageId = c.messageId();
        String address = ready.message().to();
        DeliveryVerdict verdict = mailer.send(ready.message(), () -> ledger.committing(key));
        return switch (verdict) {
            case DeliveryVerdict.Delivered d -> {
                confirmations.add(new SendLedger.Confirmation(key, SendLedger.Stage.DELIVERED, d.reply()));
                yield new SendOutcome.Sent(messageId, c.arm());
            }
            case DeliveryVerdict.PermanentFailure p -> bounced(key, messageId, address, p.code(), p.reply());
            case DeliveryVerdict.TemporaryFailure t when finalAttempt && t.code() >= 400 && t.code() < 500 && t.code() != 421 ->
                    bounced(key, messageId, address, t.code(), t.reply());
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
