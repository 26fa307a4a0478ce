package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.SendLedger;
import io.tessera.delivery.SendLedger.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SendLedger} adapter must do: one claim per (campaign, profile), even under
 * concurrent claims and after reopening; the CLAIMED → COMMITTING → confirmed life; release; and
 * the queries campaigns depend on.
 */
public abstract class SendLedgerContract {

    protected static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private SendLedger ledger;

    /** A fresh, empty ledger (the same storage each time within one test, for {@link #reopen}). */
    protected abstract SendLedger open();

    @BeforeEach
    void openLedger() {
        ledger = open();
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    protected SendLedger reopen() {
        ledger.close();
        ledger = open();
        return ledger;
    }

    @Test
    void secondClaimForTheSameCampaignAndProfileIsRefused() {
        SendKey k = new SendKey("c1", "p1");
        assertThat(ledger.claim(k, "m1", "A", T0)).isEqualTo(SendLedger.Claim.CLAIMED);
        assertThat(ledger.claim(k, "m1", "A", T0)).isEqualTo(SendLedger.Claim.ALREADY_TAKEN);
        assertThat(ledger.claim(new SendKey("c2", "p1"), "m2", "A", T0)).isEqualTo(SendLedger.Claim.CLAIMED);
    }

    @Test
    void concurrentClaimsYieldExactlyOneWinnerPerKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        ConcurrentLinkedQueue<String> winners = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 8; t++) {
            pool.submit(() -> {
                start.await();
                for (int i = 0; i < 50; i++) {
                    if (ledger.claim(new SendKey("c", "p" + i), "m" + i, "A", T0) == SendLedger.Claim.CLAIMED) {
                        winners.add("p" + i);
                    }
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(winners).hasSize(50).doesNotHaveDuplicates();
    }

    @Test
    void claimsSurviveReopeningAndUnconfirmedListsWhatARestartMustReconcile() {
        ledger.claim(new SendKey("c", "p1"), "m1", "A", T0);
        ledger.claim(new SendKey("c", "p2"), "m2", "A", T0);
        ledger.claim(new SendKey("c", "p3"), "m3", "B", T0);
        ledger.committing(new SendKey("c", "p2"));
        ledger.confirm(new SendKey("c", "p3"), Stage.DELIVERED, "250 ok", T0);
        SendLedger again = reopen();
        assertThat(again.unconfirmed("c")).containsExactly(
                new SendLedger.Pending(new SendKey("c", "p1"), "m1", Stage.CLAIMED),
                new SendLedger.Pending(new SendKey("c", "p2"), "m2", Stage.COMMITTING));
        assertThat(again.claim(new SendKey("c", "p3"), "m3", "B", T0)).isEqualTo(SendLedger.Claim.ALREADY_TAKEN);
    }

    @Test
    void aBatchClaimRefusesTakenKeysAndRepeatsWithinItselfAndSurvivesReopening() {
        ledger.claim(new SendKey("c", "p2"), "m2", "A", T0);
        List<SendLedger.Claim> got = ledger.claimAll(List.of(
                new SendLedger.ClaimRequest(new SendKey("c", "p1"), "m1", "A"),
                new SendLedger.ClaimRequest(new SendKey("c", "p2"), "m2", "A"),
                new SendLedger.ClaimRequest(new SendKey("c", "p3"), "m3", "B"),
                new SendLedger.ClaimRequest(new SendKey("c", "p3"), "m3", "B"),
                new SendLedger.ClaimRequest(new SendKey("other", "p1"), "m4", "A")), T0);
        assertThat(got).containsExactly(SendLedger.Claim.CLAIMED, SendLedger.Claim.ALREADY_TAKEN,
                SendLedger.Claim.CLAIMED, SendLedger.Claim.ALREADY_TAKEN, SendLedger.Claim.CLAIMED);
        assertThat(ledger.claimAll(List.of(), T0)).isEmpty();
        SendLedger again = reopen();
        assertThat(again.unconfirmed("c")).extracting(SendLedger.Pending::key).containsExactly(
                new SendKey("c", "p1"), new SendKey("c", "p2"), new SendKey("c", "p3"));
        assertThat(again.rows("c")).extracting(SendLedger.Row::variant).containsExactly("A", "A", "B");
    }

    @Test
    void aBatchConfirmRecordsEveryOutcomeAtOnce() {
        for (String p : List.of("p1", "p2", "p3")) {
            ledger.claim(new SendKey("c", p), "m-" + p, "A", T0);
        }
        ledger.committing(new SendKey("c", "p1"));
        ledger.confirmAll(List.of(
                new SendLedger.Confirmation(new SendKey("c", "p1"), Stage.DELIVERED, "250 ok"),
                new SendLedger.Confirmation(new SendKey("c", "p2"), Stage.SKIPPED, "holdout")), T0);
        ledger.confirmAll(List.of(), T0);
        SendLedger again = reopen();
        assertThat(again.stages("c")).containsEntry(Stage.DELIVERED, 1L).containsEntry(Stage.SKIPPED, 1L)
                .containsEntry(Stage.CLAIMED, 1L);
        assertThat(again.skipReasons("c")).containsExactly(java.util.Map.entry("holdout", 1L));
        assertThat(again.unconfirmed("c")).extracting(SendLedger.Pending::key).containsExactly(new SendKey("c", "p3"));
    }

    @Test
    void releasedClaimCanBeClaimedAgainButAConfirmedOneCannotBeReleased() {
        SendKey k = new SendKey("c", "p1");
        ledger.claim(k, "m1", "A", T0);
        ledger.release(k);
        assertThat(ledger.claim(k, "m1", "A", T0)).isEqualTo(SendLedger.Claim.CLAIMED);
        ledger.confirm(k, Stage.DELIVERED, "250", T0);
        ledger.release(k);
        assertThat(ledger.claim(k, "m1", "A", T0)).isEqualTo(SendLedger.Claim.ALREADY_TAKEN);
    }

    @Test
    void sentSinceCountsMessagesAcrossCampaignsButNotSkippedOnes() {
        ledger.claim(new SendKey("c1", "p1"), "m1", "A", T0);
        ledger.confirm(new SendKey("c1", "p1"), Stage.DELIVERED, "250", T0);
        ledger.claim(new SendKey("c2", "p1"), "m2", "A", T0.plus(Duration.ofHours(1)));
        ledger.claim(new SendKey("c3", "p1"), "m3", "holdout", T0.plus(Duration.ofHours(2)));
        ledger.confirm(new SendKey("c3", "p1"), Stage.SKIPPED, "holdout", T0);
        assertThat(ledger.sentSince("p1", T0)).isEqualTo(2);
        assertThat(ledger.sentSince("p1", T0.plusSeconds(1))).isEqualTo(1);
        assertThat(ledger.sentSince("p2", T0)).isZero();
    }

    @Test
    void rowsAndStagesReportPerCampaign() {
        ledger.claim(new SendKey("c", "p1"), "m1", "A", T0);
        ledger.claim(new SendKey("c", "p2"), "m2", "holdout", T0);
        ledger.confirm(new SendKey("c", "p1"), Stage.BOUNCED, "550 no such user", T0);
        ledger.confirm(new SendKey("c", "p2"), Stage.SKIPPED, "holdout", T0);
        assertThat(ledger.stages("c")).containsEntry(Stage.BOUNCED, 1L).containsEntry(Stage.SKIPPED, 1L);
        List<SendLedger.Row> rows = ledger.rows("c");
        assertThat(rows).extracting(SendLedger.Row::variant).containsExactly("A", "holdout");
    }

    @Test
    void aMessageIdFindsItsCampaignAndProfileSoABounceCanBeAttributed() {
        ledger.claim(new SendKey("c@1", "p1"), "c-1.p1.x@mail.example", "B", T0);
        ledger.confirm(new SendKey("c@1", "p1"), Stage.DELIVERED, "250", T0);
        assertThat(ledger.findByMessageId("c-1.p1.x@mail.example")).get().satisfies(r -> {
            assertThat(r.key()).isEqualTo(new SendKey("c@1", "p1"));
            assertThat(r.variant()).isEqualTo("B");
            assertThat(r.stage()).isEqualTo(Stage.DELIVERED);
        });
        assertThat(ledger.findByMessageId("unknown@mail.example")).isEmpty();
    }

    @Test
    void skippedRowsAreCountedByTheirSkipCode() {
        ledger.claim(new SendKey("c", "p1"), "m1", "holdout", T0);
        ledger.claim(new SendKey("c", "p2"), "m2", "A", T0);
        ledger.claim(new SendKey("c", "p3"), "m3", "A", T0);
        ledger.claim(new SendKey("c", "p4"), "m4", "A", T0);
        ledger.confirm(new SendKey("c", "p1"), Stage.SKIPPED, "holdout", T0);
        ledger.confirm(new SendKey("c", "p2"), Stage.SKIPPED, "unsubscribed_topic", T0);
        ledger.confirm(new SendKey("c", "p3"), Stage.SKIPPED, "unsubscribed_topic", T0);
        ledger.confirm(new SendKey("c", "p4"), Stage.DELIVERED, "250", T0);
        assertThat(ledger.skipReasons("c")).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("holdout", 1L, "unsubscribed_topic", 2L));
    }

    @Test
    void unconfirmedScopesListEveryScopeARestartMustReconcile() {
        ledger.claim(new SendKey("a", "p1"), "m1", "A", T0);
        ledger.claim(new SendKey("b#2026-11-01T10:00:00Z", "p1"), "m2", "A", T0);
        ledger.committing(new SendKey("b#2026-11-01T10:00:00Z", "p1"));
        ledger.claim(new SendKey("c", "p1"), "m3", "A", T0);
        ledger.confirm(new SendKey("c", "p1"), Stage.DELIVERED, "250", T0);
        assertThat(reopen().unconfirmedScopes()).containsExactly("a", "b#2026-11-01T10:00:00Z");
    }

    @Test
    void rowsOfRunsCoverTheCampaignAndItsRunsButNoOtherCampaign() {
        ledger.claim(new SendKey("weekly", "p1"), "m1", "A", T0);
        ledger.claim(new SendKey("weekly@2026-11-01T10:00:00Z", "p1"), "m2", "A", T0);
        ledger.claim(new SendKey("weekly#2026-11-02T10:00:00Z", "p2"), "m3", "B", T0);
        ledger.claim(new SendKey("weekly_b", "p1"), "m4", "A", T0);
        ledger.claim(new SendKey("weekl", "p1"), "m5", "A", T0);
        assertThat(ledger.rowsOfRuns("weekly")).extracting(SendLedger.Row::messageId).containsExactly("m1", "m3", "m2");
    }
}
