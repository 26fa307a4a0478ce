package io.tessera.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.CommitPoint;
import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.Mailer;
import io.tessera.delivery.OutgoingMessage;
import io.tessera.delivery.SendLedger;
import io.tessera.delivery.bounce.BounceEvents;
import io.tessera.delivery.bounce.BounceRecorder;
import io.tessera.delivery.bounce.BounceMailbox;
import io.tessera.delivery.Suppression;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.delivery.smtp.SmtpMailer;
import io.tessera.delivery.smtp.SmtpSettings;
import io.tessera.testkit.TestPostfix;
import io.tessera.testkit.SyntheticAudience;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay faults, whole campaigns against a real Postfix ({@link TestPostfix}): 5xx for
 * some recipients, a 4xx that clears, the relay down at start, smtpd sessions killed mid-campaign.
 * What arrived is counted in Postfix's Maildir, per recipient.
 */
class CampaignPostfixFaultTest {

    static final InstantSource NOON_UTC = InstantSource.fixed(Instant.parse("2026-11-02T12:00:00Z"));
    static final Campaign AUTUMN = Campaign.simple("autumn", "everyone", "autumn-news", "news@shop.example");

    @TempDir
    Path dir;

    /** An SMTP mailer whose own retries (4xx, refused connections) span about {@code window}. */
    static SmtpMailer mailer(int port, int attempts, Duration maxBackoff) {
        return new SmtpMailer(SmtpSettings.of("127.0.0.1", port).withPool(4, 4)
                .withRetries(attempts, Duration.ofMillis(50), maxBackoff), new MimeAssembler(NOON_UTC, Optional.empty()));
    }

    @Test
    void fiveHundredRepliesFailPermanentlyAnUnknownUserIsSuppressedAndEveryoneElseGetsBothPartsOnce() throws Exception {
        try (TestPostfix relay = TestPostfix.started();
             CampaignRig rig = new CampaignRig(dir.resolve("tessera.db"), mailer(relay.port(), 3, Duration.ofMillis(200)), 60, 4, NOON_UTC)) {
            relay.recipientAccess(Map.of(rig.audience.address(3), "550 5.1.1 no such user",
                    rig.audience.address(7), "554 5.7.1 rejected"));
            CampaignDispatcher.Report r = rig.dispatcher.run(AUTUMN, "autumn");

            assertThat(r.bounced()).isEqualTo(2);
            assertThat(r.sent()).isEqualTo(58);
            // 5.1.1: the address does not exist, suppressed; 5.7.1: this message was refused (policy),
            // a soft bounce that leaves the address usable
            assertThat(rig.suppressions.find(rig.audience.address(3))).get()
                    .extracting(Suppression::reason).isEqualTo(Suppression.Reason.HARD_BOUNCE);
            assertThat(rig.suppressions.find(rig.audience.address(7))).isEmpty();
            assertThat(relay.receivedFor(rig.audience.address(3))).isZero();
            assertThat(relay.receivedFor(rig.audience.address(7))).isZero();
            assertThat(rig.ledger.stages("autumn")).containsEntry(SendLedger.Stage.BOUNCED, 2L)
                    .containsEntry(SendLedger.Stage.DELIVERED, 58L);
            IntStream.rangeClosed(1, 60).filter(i -> i != 3 && i != 7).forEach(i ->
                    assertThat(relay.receivedFor(rig.audience.address(i))).as("r%d", i).isEqualTo(1));
            String one = relay.received().getFirst().text();
            assertThat(one).contains("List-Unsubscribe:").contains("X-Tessera-Campaign: autumn")
                    .contains("multipart/alternative").contains("Content-Type: text/plain").contains("Content-Type: text/html");

            CampaignDispatcher.Report next = rig.dispatcher.run(Campaign.simple("winter", "everyone", "w", "news@shop.example"), "winter");
            assertThat(next.skipped()).as("the suppressed address is not tried again").isEqualTo(1);
            assertThat(relay.log().split("<" + rig.audience.address(3) + ">: Recipient address rejected", -1)).hasSize(2);
        }
    }

    @Test
    void aFourHundredThatClearsIsRetriedWithBackoffAndDeliveredOnce() throws Exception {
        try (TestPostfix relay = TestPostfix.started();
             CampaignRig rig = new CampaignRig(dir.resolve("tessera.db"), mailer(relay.port(), 8, Duration.ofMillis(800)), 30, 4, NOON_UTC)) {
            String slow = rig.audience.address(5);
            relay.recipientAccess(Map.of(slow, "451 4.7.1 try again later"));
            CompletableFuture<Void> cleared = CompletableFuture.runAsync(() -> {
                while (!relay.log().contains("451 4.7.1 <" + slow + ">")) {
                    Thread.onSpinWait();
                }
                relay.recipientAccess(Map.of()); // rewrite the map, postmap, postfix reload
            });
            CampaignDispatcher.Report r = rig.dispatcher.run(AUTUMN, "autumn");
            cleared.get(30, TimeUnit.SECONDS);

            assertThat(r.sent()).as(relay.log()).isEqualTo(30);
            assertThat(r.bounced()).isZero();
            assertThat(r.later()).isEmpty();
            IntStream.rangeClosed(1, 30).forEach(i -> assertThat(relay.receivedFor(rig.audience.address(i))).isEqualTo(1));
        }
    }

    @Test
    void relayDownAtStartTheCampaignCompletesOncePostfixIsUp() throws Exception {
        try (TestPostfix relay = TestPostfix.create()) {
            CountDownLatch refused = new CountDownLatch(1);
            Mailer watched = new Watched(mailer(relay.port(), 8, Duration.ofMillis(800)), refused);
            try (CampaignRig rig = new CampaignRig(dir.resolve("tessera.db"), watched, 40, 4, NOON_UTC)) {
                CompletableFuture<CampaignDispatcher.Report> run = CompletableFuture.supplyAsync(() -> rig.dispatcher.run(AUTUMN, "autumn"));
                assertThat(refused.await(30, TimeUnit.SECONDS)).isTrue();
                relay.start();
                CampaignDispatcher.Report r = run.get(60, TimeUnit.SECONDS);

                assertThat(r.sent()).isEqualTo(40);
                assertThat(r.later()).isEmpty();
                IntStream.rangeClosed(1, 40).forEach(i -> assertThat(relay.receivedFor(rig.audience.address(i))).isEqualTo(1));
            }
        }
    }

    @Test
    void smtpdKilledMidCampaignLosesAndDuplicatesNothing() throws Exception {
        int recipients = 300;
        try (TestPostfix relay = TestPostfix.started();
             CampaignRig rig = new CampaignRig(dir.resolve("tessera.db"), mailer(relay.port(), 6, Duration.ofMillis(800)), recipients, 4, NOON_UTC)) {
            CompletableFuture<CampaignDispatcher.Report> run = CompletableFuture.supplyAsync(() -> rig.dispatcher.run(AUTUMN, "autumn"));
            int killed = 0;
            for (long at : List.of(60L, 180L)) {
                while (delivered(rig) < at && !run.isDone()) {
                    Thread.sleep(1);
                }
                killed += relay.killSmtpdProcesses();
            }
            CampaignDispatcher.Report r = run.get(60, TimeUnit.SECONDS);

            assertThat(killed).isPositive();
            assertThat(r.sent()).isEqualTo(recipients);
            long missing = 0;
            for (int i = 1; i <= recipients; i++) {
                long got = relay.receivedFor(rig.audience.address(i));
                assertThat(got).as("duplicate for r%d", i).isLessThanOrEqualTo(1);
                missing += 1 - got;
            }
            // only a session killed between the final "." and Postfix's reply can lose a message:
            // the mailer then reports it unconfirmed and never resends it (at most once)
            assertThat(missing).as(relay.log()).isLessThanOrEqualTo(killed);
            assertThat(relay.log()).contains("killed by signal 9");
        }
    }

    @Test
    void aCampaignThrottledOverallOrPerDomainStaysUnderPostfixsRateLimit() throws Exception {
        // Postfix's anvil is the referee: more than 15 MAIL FROM in one second would get 450 4.7.1
        try (TestPostfix relay = TestPostfix.create().messageRateLimit(15, Duration.ofSeconds(1)).start();
             CampaignRig rig = new CampaignRig(dir.resolve("tessera.db"), mailer(relay.port(), 1, Duration.ofMillis(50)), 20, 4, NOON_UTC)) {
            Campaign overall = AUTUMN.withThrottle(new Campaign.Throttle(5, 0));
            Campaign perDomain = Campaign.simple("winter", "everyone", "w", "news@shop.example")
                    .withThrottle(new Campaign.Throttle(0, 1)); // 5 recipient domains: 5/s in all
            CampaignDispatcher.Report a = rig.dispatcher.run(overall, "autumn");
            CampaignDispatcher.Report b = rig.dispatcher.run(perDomain, "winter");

            assertThat(a.sent()).as(relay.log()).isEqualTo(20);
            assertThat(b.sent()).as(relay.log()).isEqualTo(20);
            assertThat(relay.log()).doesNotContain("rate limit exceeded");
            IntStream.rangeClosed(1, 20).forEach(i -> assertThat(relay.receivedFor(rig.audience.address(i))).isEqualTo(2));
        }
    }

    @Test
    void aRecipientPostfixAcceptsButCannotDeliverComesBackAsADsnThatSuppressesAndMarksTheLedger() throws Exception {
        Path transport = dir.resolve("transport");
        String gone = new SyntheticAudience(12, 5).address(4); // the rig's audience, recipient 4
        Files.writeString(transport, gone + " error:5.1.1 mailbox gone\n");
        try (TestPostfix relay = TestPostfix.create().with("transport_maps", "texthash:" + transport)
                     .with("smtpd_reject_unlisted_recipient", "no").start(); // accept at RCPT, fail at delivery
             CampaignRig rig = new CampaignRig(dir.resolve("tessera.db"), mailer(relay.port(), 2, Duration.ofMillis(100)), 12, 2, NOON_UTC)) {
            CampaignDispatcher.Report r = rig.dispatcher.run(AUTUMN, "autumn");
            assertThat(r.sent()).as("accepted at SMTP: the failure comes later, as a DSN").isEqualTo(12);
            long dsns = 0;
            for (int i = 0; i < 3000 && dsns == 0; i++) {
                dsns = relay.receivedFor("news@shop.example");
                Thread.sleep(10);
            }
            assertThat(dsns).as(relay.log()).isEqualTo(1);
            assertThat(relay.receivedFor(rig.audience.address(4))).isZero();

            BounceMailbox.Summary polled = new BounceMailbox(
                    new BounceRecorder(rig.suppressions, rig.ledger, BounceEvents.NONE, NOON_UTC), NOON_UTC)
                    .pollNew(relay.directory().resolve("mail/all"));
            assertThat(polled.hard()).isEqualTo(1);
            assertThat(polled.attributed()).isEqualTo(1);
            assertThat(rig.suppressions.find(rig.audience.address(4))).get()
                    .extracting(Suppression::reason).isEqualTo(Suppression.Reason.HARD_BOUNCE);
            assertThat(rig.ledger.stages("autumn")).containsEntry(SendLedger.Stage.BOUNCED, 1L);
        }
    }


    private static long delivered(CampaignRig rig) {
        return rig.ledger.stages("autumn").getOrDefault(SendLedger.Stage.DELIVERED, 0L);
    }

    /** Passes everything to the real mailer; counts down when the first attempt finds no relay. */
    private record Watched(Mailer real, CountDownLatch refused) implements Mailer {
        @Override
        public DeliveryVerdict send(OutgoingMessage message, CommitPoint commit) {
            if (refused.getCount() > 0) {
                DeliveryVerdict v = real.send(message, commit);
                if (v instanceof DeliveryVerdict.TemporaryFailure) {
                    refused.countDown();
                }
                return v;
            }
            return real.send(message, commit);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
