package io.tessera.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.SendLedger;
import io.tessera.delivery.Suppression;
import io.tessera.delivery.campaign.Allocation;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.Recipients;
import io.tessera.delivery.campaign.TrackingLinks;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.delivery.smtp.ScriptedSmtpServer;
import io.tessera.delivery.smtp.SmtpMailer;
import io.tessera.delivery.smtp.SmtpSettings;
import io.tessera.profile.Profile;
import io.tessera.profile.TraitValue;
import io.tessera.store.sqlite.SqliteSendLedger;
import io.tessera.store.sqlite.SqliteSuppressionList;
import io.tessera.testkit.PlainRenderer;
import io.tessera.testkit.SyntheticAudience;
import jakarta.mail.internet.MimeUtility;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Campaign runs end to end: SQLite ledger and suppressions, the fake relay that counts (relay faults: {@link CampaignPostfixFaultTest}). */
class CampaignDispatcherTest {

    static final InstantSource NOON_UTC = InstantSource.fixed(Instant.parse("2026-11-02T12:00:00Z"));
    static final Campaign AUTUMN = Campaign.simple("autumn", "everyone", "autumn-news", "news@shop.example");

    @TempDir
    Path dir;

    @Test
    void everyMemberGetsExactlyOneMessageAndARerunSendsNothing() throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer();
             CampaignRig rig = new CampaignRig(dir.resolve("tessera.db"), relay.port(), 200, 4, NOON_UTC)) {
            CampaignDispatcher.Report first = rig.dispatcher.run(AUTUMN, "autumn");
            CampaignDispatcher.Report second = rig.dispatcher.run(AUTUMN, "autumn");

            assertThat(first.sent()).isEqualTo(200);
            assertThat(second.sent()).isZero();
            assertThat(second.alreadyHandled()).isEqualTo(200);
            assertThat(relay.received()).hasSize(200);
            IntStream.rangeClosed(1, 200).forEach(i -> assertThat(relay.receivedFor(rig.audience.address(i))).isEqualTo(1));
            // whichever message arrived first (4 connections): decode RFC 2047 words so a non-ASCII
            // name ("Chloé" → =?UTF-8?Q?…?=) reads as the recipient sees it
            String one = MimeUtility.decodeText(relay.received().getFirst().text().replace("\r\n ", " "));
            assertThat(one).contains("List-Unsubscribe: <mailto:unsubscribe@shop.example?subject=unsubscribe%20autumn.p")
                    .contains("X-Tessera-Campaign: autumn").containsPattern("Subject: \\S+, your picks for ");
        }
    }

    @Test
    void holdoutReceivesNothingButIsRecordedForTheLiftComparison() throws Exception {
        Campaign withHoldout = AUTUMN.withHoldout(20);
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer();
             CampaignRig rig = new CampaignRig(dir.resolve("tessera.db"), relay.port(), 500, 4, NOON_UTC)) {
            CampaignDispatcher.Report r = rig.dispatcher.run(withHoldout, "autumn");
            List<SendLedger.Row> rows = rig.ledger.rows("autumn");
            long holdout = rows.stream().filter(x -> x.variant().equals(Allocation.HOLDOUT)).count();

            assertThat(holdout).isBetween(70L, 130L);
            assertThat(r.sent()).isEqualTo(500 - holdout);
            assertThat(relay.received()).hasSize((int) (500 - holdout));
            rows.stream().filter(x -> x.variant().equals(Allocation.HOLDOUT)).forEach(x -> {
                assertThat(x.stage()).isEqualTo(SendLedger.Stage.SKIPPED);
                int i = Integer.parseInt(x.key().profileId().substring(1));
                assertThat(relay.receivedFor(rig.audience.address(i))).isZero();
            });
        }
    }

    @Test
    void permanentFailuresBounceSuppressTheAddressAndLaterCampaignsSkipIt() throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer().onRcpt(a -> a.startsWith("r000000")
                     ? Optional.of("550 5.1.1 mailbox unavailable") : Optional.empty());
             CampaignRig rig = new CampaignRig(dir.resolve("tessera.db"), relay.port(), 50, 4, NOON_UTC)) {
            rig.suppressions.suppress(new Suppression(rig.audience.address(20), Suppression.Reason.UNSUBSCRIBE,
                    NOON_UTC.instant(), "one-click"));
            CampaignDispatcher.Report r = rig.dispatcher.run(AUTUMN, "autumn");
            assertThat(r.bounced()).isEqualTo(9);
            assertThat(r.skipped()).isEqualTo(1);
            assertThat(r.sent()).isEqualTo(40);
            assertThat(rig.suppressions.find(rig.audience.address(3))).get()
                    .extracting(Suppression::reason).isEqualTo(Suppression.Reason.HARD_BOUNCE);
            assertThat(relay.receivedFor(rig.audience.address(20))).isZero();

            CampaignDispatcher.Report next = rig.dispatcher.run(Campaign.simple("winter", "everyone", "w", "news@shop.example"), "winter");
            assertThat(next.skipped()).isEqualTo(10);
            assertThat(next.sent()).isEqualTo(40);
        }
    }

    @Test
    void recipientsOutsideTheirLocalSendTimeAreDeferredToIt() throws Exception {
        Campaign at9 = AUTUMN.withTiming(Optional.of(LocalTime.of(9, 0)), Optional.empty(), Optional.empty());
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer();
             CampaignRig rig = new CampaignRig(dir.resolve("tessera.db"), relay.port(), 8, 2, NOON_UTC)) {
            CampaignDispatcher.Report r = rig.dispatcher.run(at9, "autumn");
            assertThat(r.sent()).isZero();
            // p0000004 lives in UTC (i % 4 == 0): next 09:00 UTC; p0000001 in Europe/Berlin: 08:00 UTC next day
            assertThat(r.later()).containsEntry("p0000004", Instant.parse("2026-11-03T09:00:00Z"))
                    .containsEntry("p0000001", Instant.parse("2026-11-03T08:00:00Z"));
            assertThat(relay.received()).isEmpty();
        }
    }

    @Test
    void aFollowUpRunJustAfterNineSendsTheNineOClockRecipientsOfTheOriginalRun() throws Exception {
        Campaign at9 = AUTUMN.withTiming(Optional.of(LocalTime.of(9, 0)), Optional.empty(), Optional.empty());
        Instant due = Instant.parse("2026-11-02T07:00:00Z");
        InstantSource justAfterNineUtc = InstantSource.fixed(Instant.parse("2026-11-02T09:00:05Z"));
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer();
             CampaignRig rig = new CampaignRig(dir.resolve("tessera.db"), relay.port(), 8, 2, justAfterNineUtc)) {
            CampaignDispatcher.Report r = rig.dispatcher.run(at9, "autumn", due);
            // UTC (p4, p8) and Europe/Berlin (p1, p5: 08:00 UTC) are due; New York and Tokyo are not
            assertThat(r.sent()).isEqualTo(4);
            assertThat(relay.receivedFor(rig.audience.address(4))).isEqualTo(1);
            assertThat(relay.receivedFor(rig.audience.address(1))).isEqualTo(1);
            assertThat(r.later()).containsOnlyKeys("p0000002", "p0000003", "p0000006", "p0000007");
        }
    }

    @Test
    void theAudienceIsTheSegmentMinusTheExcludedSegment() throws Exception {
        Campaign browsersNotBuyers = new Campaign("autumn", "autumn", new Campaign.Audience("everyone", Optional.of("buyers")),
                AUTUMN.template(), AUTUMN.sender(), AUTUMN.schedule(), Optional.empty(), Campaign.Throttle.UNLIMITED, 0,
                List.of(), Optional.empty(), Optional.empty(), Optional.empty(), 7);
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer();
             CampaignRig rig = new CampaignRig(dir.resolve("tessera.db"), relay.port(), 10, 2, NOON_UTC)) {
            rig.audience.restrict("buyers", Set.of("p0000002", "p0000007"));
            CampaignDispatcher.Report r = rig.dispatcher.run(browsersNotBuyers, "autumn");

            assertThat(r.sent()).isEqualTo(8);
            assertThat(relay.receivedFor(rig.audience.address(2))).isZero();
            assertThat(relay.receivedFor(rig.audience.address(7))).isZero();
            assertThat(relay.receivedFor(rig.audience.address(3))).isEqualTo(1);
        }
    }

    @Test
    void eachVariantsSubjectReachesItsArmAndTheSplitFollowsTheWeights() throws Exception {
        Campaign ab = AUTUMN.withVariants(List.of(new Campaign.Variant("A", 1, Optional.empty(), Optional.empty()),
                new Campaign.Variant("B", 3, Optional.of("Last days, {{firstName}}"), Optional.empty())));
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer();
             CampaignRig rig = new CampaignRig(dir.resolve("tessera.db"), relay.port(), 400, 4, NOON_UTC)) {
            rig.dispatcher.run(ab, "autumn");
            List<SendLedger.Row> rows = rig.ledger.rows("autumn");
            long b = rows.stream().filter(x -> x.variant().equals("B")).count();
            assertThat(b).as("weight 3 of 4").isBetween(260L, 340L);
            for (SendLedger.Row row : rows) {
                int i = Integer.parseInt(row.key().profileId().substring(1));
                String got = MimeUtility.decodeText(relay.received().stream()
                        .filter(m -> m.recipients().contains(rig.audience.address(i))).findFirst().orElseThrow().text()
                        .replace("\r\n ", " "));
                assertThat(got).contains("X-Tessera-Variant: " + row.variant());
                if (row.variant().equals("B")) {
                    assertThat(got).containsPattern("Subject: Last days, \\S+");
                } else {
                    assertThat(got).containsPattern("Subject: \\S+, your picks for ");
                }
            }
        }
    }

    @Test
    void eachMessageIsRenderedAtItsSendWithTheProfileAsItIsThen() throws Exception {
        SyntheticAudience people = new SyntheticAudience(60, 2);
        AtomicBoolean moved = new AtomicBoolean();
        // p0000050 moves to Reykjavik while the campaign is already sending to the first recipients
        Recipients live = id -> people.profile(id).map(p -> !moved.get() || !id.equals("p0000050") ? p
                : new Profile(p.id(), p.identities(), withCity(p.traits(), "Reykjavik"), p.events(), p.timeline(), p.lastOffset()));
        Path db = dir.resolve("tessera.db");
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer();
             SqliteSendLedger ledger = new SqliteSendLedger(db);
             SqliteSuppressionList suppressions = new SqliteSuppressionList(db);
             SmtpMailer smtp = new SmtpMailer(
                     SmtpSettings.of("127.0.0.1", relay.port()),
                     new MimeAssembler(NOON_UTC, Optional.empty()));
             CampaignDispatcher dispatcher = new CampaignDispatcher(ledger, suppressions, (m, c) -> {
                 DeliveryVerdict v = smtp.send(m, c);
                 moved.set(true);
                 return v;
             }, PlainRenderer.standard(), live, people, TrackingLinks.NONE,
                     NOON_UTC, "mail.shop.example", 1, 0, Duration.ZERO)) {
            dispatcher.run(AUTUMN, "autumn");
            String first = relay.received().getFirst().text();
            String fiftieth = relay.received().stream().filter(m -> m.recipients().contains(people.address(50)))
                    .findFirst().orElseThrow().text();
            assertThat(first).doesNotContain("Reykjavik");
            assertThat(fiftieth).contains("new in Reykjavik");
        }
    }

    private static Map<String, TraitValue> withCity(
            Map<String, TraitValue> traits, String city) {
        Map<String, TraitValue> out = new HashMap<>(traits);
        out.put("city", new TraitValue(city, Instant.parse("2026-11-02T12:00:00Z")));
        return out;
    }
}
