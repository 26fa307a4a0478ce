package io.tessera.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The durable record of every send, which makes "at most one message per (campaign, profile)"
 * hold across crashes.
 *
 * <p>Life of a row: {@link #claim} (durable BEFORE the message goes to the mailer) →
 * {@link #committing} (durable right before the mailer's point of no return) → {@link #confirm}
 * with the outcome. A row left {@link Stage#CLAIMED} by a crash was certainly not accepted and
 * may be {@link #release}d and sent again; a row left {@link Stage#COMMITTING} is resolved by
 * asking the mailer, and otherwise counted as sent (never sent twice).
 *
 * <p>Adapters: {@code store.sqlite.SqliteSendLedger}; all pass {@code testkit}'s
 * {@code SendLedgerContract}. Thread-safe; every method returns once its change is durable.
 */
public interface SendLedger extends AutoCloseable {

    enum Stage { CLAIMED, COMMITTING, DELIVERED, DEFERRED, BOUNCED, SKIPPED }

    enum Claim { CLAIMED, ALREADY_TAKEN }

    /** Claims the key for this message id; {@link Claim#ALREADY_TAKEN} if any row exists for it. */
    Claim claim(SendKey key, String messageId, String variant, Instant at);

    /**
     * Claims a batch in ONE durable transaction: returns once every row is committed, one result
     * per request in order (each exactly as {@link #claim} would decide it). How a campaign claims
     * the recipients it is about to send to: a crash leaves them CLAIMED, and a restart releases
     * and sends them, so a larger batch costs nothing in correctness. Adapters override the
     * one-at-a-time default.
     */
    default List<Claim> claimAll(List<ClaimRequest> requests, Instant at) {
        return requests.stream().map(r -> claim(r.key(), r.messageId(), r.variant(), at)).toList();
    }

    void committing(SendKey key);

    /** Records the final stage (DELIVERED, BOUNCED, SKIPPED) with the relay's reply. */
    void confirm(SendKey key, Stage stage, String reply, Instant at);

    /**
     * Records several final stages in ONE durable transaction (each as {@link #confirm}). A
     * campaign confirms its DELIVERED and SKIPPED rows in batches: a crash before the batch commits
     * leaves delivered rows COMMITTING, which a restart counts as sent (never resent), and skipped
     * rows CLAIMED, which a restart releases and decides again. Adapters override the default.
     */
    default void confirmAll(List<Confirmation> confirmations, Instant at) {
        confirmations.forEach(c -> confirm(c.key(), c.stage(), c.reply(), at));
    }

    /** Deletes a claim that certainly was not accepted (crash before commit, 4xx after retries) so it can be retried. */
    void release(SendKey key);

    /** Rows still CLAIMED or COMMITTING for a campaign: what a restart must reconcile. */
    List<Pending> unconfirmed(String campaign);

    /** Every scope with rows still CLAIMED or COMMITTING: what a restarted node reconciles first. */
    List<String> unconfirmedScopes();

    /** Count of rows per stage for a campaign (for stats and tests). */
    Map<Stage, Long> stages(String campaign);

    /** Messages sent (claimed, not released, not skipped) to a profile since a time, across campaigns: for frequency caps. */
    int sentSince(String profileId, Instant since);

    /** Every row for a campaign, by profile id (for stats). */
    List<Row> rows(String campaign);

    /**
     * Every row of a campaign across its runs: the scope {@code campaignKey} itself and every run
     * scope {@code campaignKey@…} (recurring) or {@code campaignKey#…} (triggered), by scope then profile.
     */
    List<Row> rowsOfRuns(String campaignKey);

    /** Skipped rows of a campaign counted by skip code (holdout, suppressed_unsubscribe, unsubscribed_topic …): for stats. */
    Map<String, Long> skipReasons(String campaign);

    /** The row of the message with this Message-ID (without angle brackets): how a DSN or webhook finds its campaign and profile. */
    java.util.Optional<Row> findByMessageId(String messageId);

    @Override
    void close();

    record Pending(SendKey key, String messageId, Stage stage) {}

    /** One row of a {@link #claimAll} batch. */
    record ClaimRequest(SendKey key, String messageId, String variant) {}

    /** One row of a {@link #confirmAll} batch. */
    record Confirmation(SendKey key, Stage stage, String reply) {}

    record Row(SendKey key, String messageId, String variant, Stage stage, Instant claimedAt) {}
}
