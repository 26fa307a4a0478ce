package io.tessera.delivery.dispatch;

import io.tessera.delivery.Mailer;
import io.tessera.delivery.SendLedger;
import io.tessera.delivery.SuppressionList;
import io.tessera.delivery.bounce.BounceEvents;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.CampaignSender;
import io.tessera.delivery.campaign.MessageRenderer;
import io.tessera.delivery.campaign.Recipients;
import io.tessera.delivery.campaign.SegmentMembers;
import io.tessera.delivery.campaign.SendOutcome;
import io.tessera.delivery.campaign.TrackingLinks;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a campaign: reconciles the ledger left by a previous crash, pages through the audience,
 * cuts each page into batches of the pre-render window and hands each batch to a worker thread
 * ({@link SendBatch}: checks, one ledger transaction claiming the batch, render ahead, mail in
 * order under the campaign's throttle re-rendering what grew older than the staleness limit, one
 * transaction confirming the batch); recipients deferred by a 4xx are retried in later rounds with
 * exponential backoff; those deferred to their local send time or past quiet hours are returned
 * for the scheduler.
 *
 * <p>Reconciliation (at most once, across crashes): a row left CLAIMED never reached the relay's
 * point of no return, so it is released and sent in this run; a row left COMMITTING is resolved
 * by asking the mailer ({@link Mailer#wasAccepted}: exact for the outbox) and, when the mailer
 * cannot know (SMTP), confirmed as delivered without resending — a message is never sent twice;
 * the price is that one which died in the microseconds between the durable COMMITTING mark and
 * the final "." reaching the relay is counted as sent (reported as {@code assumed}).
 *
 * <p>Threading: {@link #run} blocks its caller; the worker pool is owned by this object and shut
 * down by {@link #close}. Several campaigns may run at once on one dispatcher.
 */
public final class CampaignDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignDispatcher.class);
    private static final int PAGE = 1000;

    private final SendLedger ledger;
    private final SuppressionList suppressions;
    private final Mailer mailer;
    private final MessageRenderer renderer;
    private final Recipients recipients;
    private final SegmentMembers segments;
    private final TrackingLinks tracking;
    private final InstantSource clock;
    private final String messageIdDomain;
    private final int workers;
    private final int retryRounds;
    private final Duration firstRetryDelay;
    private final ExecutorService pool;
    private final Map<String, CampaignSender> singleSenders = new ConcurrentHashMap<>();
    private final BounceEvents bounceEvents;
    private final Prerender prerender;

    /**
     * How far rendering may run ahead of sending: each worker claims and renders up to
     * {@code window} recipients before mailing the first of them ({@code delivery.prerender-window});
     * a message whose profile data is older than {@code maxStaleness} when its connection is free
     * is rendered again from the latest profile ({@code delivery.max-staleness}). A window of 1
     * renders every message right before its send.
     */
    public record Prerender(int window, Duration maxStaleness) {
        public static final Prerender DEFAULT = new Prerender(16, Duration.ofSeconds(2));
        public static final Prerender JUST_IN_TIME = new Prerender(1, Duration.ZERO);

        public Prerender {
            if (window < 1 || maxStaleness.isNegative()) {
                throw new IllegalArgumentException("prerender window must be >= 1 and staleness >= 0: " + window + ", " + maxStaleness);
            }
        }
    }

    /** A dispatcher whose bounces suppress and mark the ledger but are not reported as profile events. */
    public CampaignDispatcher(SendLedger ledger, SuppressionList suppressions, Mailer mailer, MessageRenderer renderer,
                              Recipients recipients, SegmentMembers segments, TrackingLinks tracking, InstantSource clock,
                              String messageIdDomain, int workers, int retryRounds, Duration firstRetryDelay) {
        this(ledger, suppressions, mailer, renderer, recipients, segments, tracking, clock, messageIdDomain, workers,
                retryRounds, firstRetryDelay, BounceEvents.NONE);
    }

    /**
     * @param retryRounds   rounds for recipients deferred by a 4xx; in the last one a 4xx naming the
     *                      recipient becomes a soft bounce (an unreachable relay never does)
     * @param bounceEvents  where bounces become "Email Bounced" events on the profile
     */
    public CampaignDispatcher(SendLedger ledger, SuppressionList suppressions, Mailer mailer, MessageRenderer renderer,
                              Recipients recipients, SegmentMembers segments, TrackingLinks tracking, InstantSource clock,
                              String messageIdDomain, int workers, int retryRounds, Duration firstRetryDelay,
                              BounceEvents bounceEvents) {
        this(ledger, suppressions, mailer, renderer, recipients, segments, tracking, clock, messageIdDomain, workers,
                retryRounds, firstRetryDelay, bounceEvents, Prerender.DEFAULT);
    }

    /** @param prerender  how far rendering may run ahead of sending, see {@link Prerender} */
    public CampaignDispatcher(SendLedger ledger, SuppressionList suppressions, Mailer mailer, MessageRenderer renderer,
                              Recipients recipients, SegmentMembers segments, TrackingLinks tracking, InstantSource clock,
                              String messageIdDomain, int workers, int retryRounds, Duration firstRetryDelay,
                              BounceEvents bounceEvents, Prerender prerender) {
        this.prerender = prerender;
        this.bounceEvents = bounceEvents;
        this.ledger = ledger;
        this.suppressions = suppressions;
        this.mailer = mailer;
        this.renderer = renderer;
        this.recipients = recipients;
        this.segments = segments;
        this.tracking = tracking;
        this.clock = clock;
        this.messageIdDomain = messageIdDomain;
        this.workers = workers;
        this.retryRounds = retryRounds;
        this.firstRetryDelay = firstRetryDelay;
        this.pool = Executors.newFixedThreadPool(workers, Thread.ofPlatform().name("campaign-worker-", 0).daemon().factory());
    }

    /** What one run did. {@code later} maps profile ids to the instant they may be sent (local time, quiet hours, or unresolved 4xx). */
    public record Report(long sent, long bounced, long skipped, long alreadyHandled, Reconciliation reconciled,
                         Map<String, Instant> later) {}

    /** What reconciliation found: released (resent now), verified by the mailer, assumed sent. */
    public record Reconciliation(int released, int verified, int assumed) {}

    public Reconciliation reconcile(String scope) {
        int released = 0;
        int verified = 0;
        int assumed = 0;
        for (SendLedger.Pending p : ledger.unconfirmed(scope)) {
            if (p.stage() == SendLedger.Stage.CLAIMED) {
                ledger.release(p.key());
                released++;
                continue;
            }
            var accepted = mailer.wasAccepted(p.messageId());
            if (accepted.isPresent() && !accepted.get()) {
                ledger.release(p.key());
                released++;
            } else if (accepted.isPresent()) {
                ledger.confirm(p.key(), SendLedger.Stage.DELIVERED, "verified after restart", clock.instant());
                verified++;
            } else {
                ledger.confirm(p.key(), SendLedger.Stage.DELIVERED,
                        "assumed: process stopped after end of data, relay reply unknown", clock.instant());
                assumed++;
            }
        }
        if (released + verified + assumed > 0) {
            LOG.info("campaign {}: reconciled {} released, {} verified, {} assumed sent", scope, released, verified, assumed);
        }
        return new Reconciliation(released, verified, assumed);
    }

    /** Reconciles every scope the ledger holds unfinished rows for: what a node does once at start-up. */
    public Reconciliation reconcileAll() {
        int released = 0;
        int verified = 0;
        int assumed = 0;
        for (String scope : ledger.unconfirmedScopes()) {
            Reconciliation r = reconcile(scope);
            released += r.released();
            verified += r.verified();
            assumed += r.assumed();
        }
        return new Reconciliation(released, verified, assumed);
    }

    /**
     * Runs the send pipeline for one recipient on the caller's thread, under the campaign's
     * throttle: for triggered sends, which arrive one entry at a time.
     */
    public SendOutcome sendOne(Campaign campaign, String scope, String profileId, Instant due) {
        CampaignSender sender = singleSenders.computeIfAbsent(campaign.key() + "|" + campaign.throttle(), k ->
                new CampaignSender(ledger, suppressions, new ThrottledMailer(mailer, campaign.throttle()), renderer,
                        recipients, segments, tracking, clock, messageIdDomain, bounceEvents));
        return sender.send(campaign, scope, profileId, due);
    }

    /** Sends {@code campaign} to its audience under ledger scope {@code scope}, due now; blocks until done. */
    public Report run(Campaign campaign, String scope) {
        return run(campaign, scope, clock.instant());
    }

    /**
     * Sends {@code campaign} to its audience under ledger scope {@code scope}; blocks until done.
     * {@code due} is when the run was scheduled: a follow-up run for recipients deferred to their
     * local send time passes the original instant.
     */
    public Report run(Campaign campaign, String scope, Instant due) {
        return run(campaign, scope, due, RunGate.OPEN);
    }

    /**
     * As {@link #run(Campaign, String, Instant)}, stopping early (between batches, without
     * claiming anyone else) once {@code gate} closes: the run is then incomplete, and a later run
     * of the same scope continues it — the ledger skips everyone already handled.
     */
    public Report run(Campaign campaign, String scope, Instant due, RunGate gate) {
        Reconciliation rec = reconcile(scope);
        CampaignSender sender = new CampaignSender(ledger, suppressions, new ThrottledMailer(mailer, campaign.throttle()),
                renderer, recipients, segments, tracking, clock, messageIdDomain, bounceEvents);
        Tally tally = new Tally();
        List<String> retry = new ArrayList<>();
        String after = "";
        while (gate.mayClaim(campaign.key())) {
            List<String> page = segments.members(campaign.audience().segment(), after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            retry.addAll(sendAll(sender, campaign, scope, due, page, tally, retryRounds == 0, gate));
            after = page.getLast();
        }
        Duration delay = firstRetryDelay;
        for (int round = 0; round < retryRounds && !retry.isEmpty() && gate.mayClaim(campaign.key()); round++) {
            sleep(delay);
            delay = delay.multipliedBy(2);
            retry = sendAll(sender, campaign, scope, due, retry, tally, round == retryRounds - 1, gate);
        }
        Instant retryAt = clock.instant().plus(delay);
        retry.forEach(id -> tally.later.put(id, retryAt));
        return new Report(tally.sent.get(), tally.bounced.get(), tally.skipped.get(), tally.already.get(), rec,
                Map.copyOf(tally.later));
    }

    /** Sends to each profile on the pool, a batch of the pre-render window per task; returns those deferred by a temporary failure. */
    private List<String> sendAll(CampaignSender sender, Campaign campaign, String scope, Instant due, List<String> ids,
                                 Tally tally, boolean finalAttempt, RunGate gate) {
        List<String> temporary = java.util.Collections.synchronizedList(new ArrayList<>());
        SendBatch.Results results = new SendBatch.Results() {
            @Override
            public void outcome(String id, SendOutcome o) {
                switch (o) {
                    case SendOutcome.Sent s -> tally.sent.incrementAndGet();
                    case SendOutcome.Bounced b -> tally.bounced.incrementAndGet();
                    case SendOutcome.Skipped s -> tally.skipped.incrementAndGet();
                    case SendOutcome.AlreadyHandled a -> tally.already.incrementAndGet();
                    case SendOutcome.Deferred d when d.reason().startsWith("temporary_failure") -> temporary.add(id);
                    case SendOutcome.Deferred d -> tally.later.put(id, d.notBefore());
                }
            }

            @Override
            public void failed(String id, RuntimeException e) {
                LOG.error("campaign {}: sending to {} failed", scope, id, e);
                temporary.add(id);
            }
        };
        SendBatch batch = new SendBatch(sender, ledger, clock, prerender.maxStaleness());
        int window = window(campaign);
        java.util.function.BooleanSupplier open = () -> gate.mayClaim(campaign.key());
        // two batches per worker in flight: one running, one queued
        Semaphore inFlight = new Semaphore(workers * 2);
        for (int from = 0; from < ids.size(); from += window) {
            List<String> slice = ids.subList(from, Math.min(ids.size(), from + window));
            inFlight.acquireUninterruptibly();
            if (!gate.mayClaim(campaign.key())) {
                inFlight.release();
                break;
            }
            pool.execute(() -> {
                try {
                    batch.run(campaign, scope, due, slice, finalAttempt, open, results);
                } catch (RuntimeException e) {
                    slice.forEach(id -> results.failed(id, e));
                } finally {
                    inFlight.release();
                }
            });
        }
        inFlight.acquireUninterruptibly(workers * 2);
        return new ArrayList<>(temporary);
    }

    /**
     * The batch size: the pre-render window, but no more than a worker can send within the
     * staleness limit under the campaign's overall throttle (a throttled campaign would otherwise
     * render messages that are stale before their turn comes, and render them twice).
     */
    private int window(Campaign campaign) {
        double perSecond = campaign.throttle().perSecond();
        if (perSecond <= 0) {
            return prerender.window();
        }
        double perWorkerWithinLimit = perSecond * prerender.maxStaleness().toMillis() / 1000.0 / workers;
        return (int) Math.max(1, Math.min(prerender.window(), Math.floor(perWorkerWithinLimit)));
    }

    private static final class Tally {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong bounced = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong already = new AtomicLong();
        final Map<String, Instant> later = new ConcurrentHashMap<>();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }
}
