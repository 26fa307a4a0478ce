package io.tessera.delivery.dispatch;

import io.tessera.delivery.SendLedger;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.CampaignSender;
import io.tessera.delivery.campaign.CampaignSender.Candidate;
import io.tessera.delivery.campaign.CampaignSender.Prepared;
import io.tessera.delivery.campaign.SendOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's batch of recipients (at most the pre-render window): checks for all of them, ONE
 * ledger transaction claiming every candidate, rendering all of them ahead, then mailing them in
 * order on the worker's connection — a message whose profile data grew older than the staleness
 * limit while it waited is rendered again from the latest profile first — and ONE transaction
 * confirming the deliveries and skips at the end.
 *
 * <p>At most once, as strong as one row at a time: every row is durably CLAIMED before any of its
 * messages goes to the mailer; each message still gets its own durable COMMITTING mark at the
 * mailer's point of no return; bounces and 4xx releases are recorded at once. Only the final
 * DELIVERED / SKIPPED marks wait for the end of the batch. A crash before that commit leaves
 * delivered rows COMMITTING (a restart counts them as sent, never resends: no duplicate), and
 * claimed-but-unsent or skipped rows CLAIMED (a restart releases and decides them again: no gap).
 *
 * <p>Pause and cancel ({@code open}, the run's gate) are asked before the claim and before each
 * message: once the gate closes, the batch's claimed but not yet mailed rows are released (they
 * were certainly not sent) and left for a later run; nothing more is claimed or mailed.
 *
 * <p>Confined to the worker thread that runs it.
 */
final class SendBatch {

    private static final Logger LOG = LoggerFactory.getLogger(SendBatch.class);

    /** Where each recipient's result goes; called on the worker thread. */
    interface Results {
        void outcome(String profileId, SendOutcome outcome);

        /** Something broke for this recipient (an outage, a bug): retried in a later round. */
        void failed(String profileId, RuntimeException e);
    }

    private final CampaignSender sender;
    private final SendLedger ledger;
    private final InstantSource clock;
    private final Duration maxStaleness;

    SendBatch(CampaignSender sender, SendLedger ledger, InstantSource clock, Duration maxStaleness) {
        this.sender = sender;
        this.ledger = ledger;
        this.clock = clock;
        this.maxStaleness = maxStaleness;
    }

    void run(Campaign campaign, String scope, Instant due, List<String> ids, boolean finalAttempt, BooleanSupplier open,
             Results results) {
        if (!open.getAsBoolean()) {
            return;
        }
        List<Candidate> candidates = new ArrayList<>(ids.size());
        for (String id : ids) {
            try {
                switch (sender.decide(campaign, scope, id, due)) {
                    case CampaignSender.Decision.Settled s -> results.outcome(id, s.outcome());
                    case Candidate c -> candidates.add(c);
                }
            } catch (RuntimeException e) {
                results.failed(id, e);
            }
        }
        if (candidates.isEmpty() || !open.getAsBoolean()) {
            return;
        }
        List<SendLedger.Claim> claims;
        try {
            claims = ledger.claimAll(candidates.stream()
                    .map(c -> new SendLedger.ClaimRequest(c.key(), c.messageId(), c.arm())).toList(), clock.instant());
        } catch (RuntimeException e) {
            candidates.forEach(c -> results.failed(c.key().profileId(), e));
            return;
        }
        List<SendLedger.Confirmation> confirmations = new ArrayList<>(candidates.size());
        try {
            List<Prepared> ahead = new ArrayList<>(candidates.size());
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.get(i);
                if (claims.get(i) == SendLedger.Claim.ALREADY_TAKEN) {
                    results.outcome(c.key().profileId(), new SendOutcome.AlreadyHandled());
                } else if (c.skip().isPresent()) {
                    confirmations.add(new SendLedger.Confirmation(c.key(), SendLedger.Stage.SKIPPED, c.skip().get()));
                    results.outcome(c.key().profileId(), new SendOutcome.Skipped(c.skip().get()));
                } else {
                    prepareInto(ahead, campaign, c, results);
                }
            }
            for (int i = 0; i < ahead.size(); i++) {
                if (!open.getAsBoolean()) {
                    release(ahead.subList(i, ahead.size()), results);
                    break;
                }
                mail(campaign, ahead.get(i), finalAttempt, confirmations, results);
            }
        } finally {
            try {
                ledger.confirmAll(confirmations, clock.instant());
            } catch (RuntimeException e) {
                // the rows stay COMMITTING (counted as sent) or CLAIMED (decided again) until a restart reconciles them
                LOG.error("campaign {}: confirming a batch of {} failed", scope, confirmations.size(), e);
            }
        }
    }

    /** The gate closed: these rows were claimed but never handed to the mailer. */
    private void release(List<Prepared> unsent, Results results) {
        for (Prepared p : unsent) {
            try {
                ledger.release(p.candidate().key());
            } catch (RuntimeException e) {
                // left CLAIMED: the next run's reconciliation releases it
                results.failed(p.candidate().key().profileId(), e);
            }
        }
    }

    private void prepareInto(List<Prepared> ahead, Campaign campaign, Candidate c, Results results) {
        try {
            ahead.add(sender.prepare(campaign, c));
        } catch (RuntimeException e) {
            results.failed(c.key().profileId(), e);
        }
    }

    private void mail(Campaign campaign, Prepared p, boolean finalAttempt, List<SendLedger.Confirmation> confirmations,
                      Results results) {
        String id = p.candidate().key().profileId();
        try {
            if (p instanceof Prepared.Ready r && stale(r)) {
                p = sender.prepare(campaign, sender.refresh(r.candidate()));
            }
            switch (p) {
                case Prepared.Unsendable u -> {
                    confirmations.add(new SendLedger.Confirmation(u.candidate().key(), SendLedger.Stage.SKIPPED, u.reason()));
                    results.outcome(id, new SendOutcome.Skipped(u.outcome()));
                }
                case Prepared.Ready r -> results.outcome(id, sender.deliver(r, finalAttempt, confirmations));
            }
        } catch (RuntimeException e) {
            results.failed(id, e);
        }
    }

    /** Older than the staleness limit now that its connection is free: render again from the latest profile. */
    private boolean stale(Prepared.Ready r) {
        return Duration.between(r.candidate().readAt(), clock.instant()).compareTo(maxStaleness) > 0;
    }
}
