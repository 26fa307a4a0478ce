package io.tessera.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.SendLedger;
import io.tessera.delivery.Suppression;
import io.tessera.delivery.bounce.Bounce;
import io.tessera.delivery.bounce.BounceEvents;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.Consent;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounces and consent during a campaign, against a real SMTP server that counts what it accepted:
 * 5xx at RCPT and at end of DATA, 4xx that never clears, and subscription topics.
 */
class CampaignBounceTest {

    static final InstantSource NOON_UTC = InstantSource.fixed(Instant.parse("2026-11-02T12:00:00Z"));

    @TempDir
    Path dir;

    final List<Bounce> events = new CopyOnWriteArrayList<>();
    final List<Optional<SendKey>> keys = new CopyOnWriteArrayList<>();

    /** A dispatcher on SQLite with bounce events recorded in {@link #events}. */
    record Rig(SqliteSendLedger ledger, SqliteSuppressionList suppressions, SmtpMailer mailer, SyntheticAudience audience,
               CampaignDispatcher dispatcher) implements AutoCloseable {
        @Override
        public void close() {
            dispatcher.close();
            mailer.close();
            ledger.close();
            suppressions.close();
        }
    }

    Rig rig(int smtpPort, int size, Function<Profile, Profile> traits) {
        SqliteSendLedger ledger = new SqliteSendLedger(dir.resolve("tessera.db"));
        SqliteSuppressionList suppressions = new SqliteSuppressionList(dir.resolve("tessera.db"));
        SmtpMailer mailer = new SmtpMailer(SmtpSettings.of("127.0.0.1", smtpPort).withPool(4, 4)
                .withRetries(2, Duration.ofMillis(5), Duration.ofMillis(20)), new MimeAssembler(NOON_UTC, Optional.empty()));
        SyntheticAudience audience = new SyntheticAudience(size, 5);
        Recipients recipients = id -> audience.profile(id).map(traits);
        BounceEvents recording = (b, key) -> {
            events.add(b);
            keys.add(key);
        };
        CampaignDispatcher d = new CampaignDispatcher(ledger, suppressions, mailer, PlainRenderer.standard(), recipients,
                audience, TrackingLinks.NONE, NOON_UTC, "mail.shop.example", 4, 2, Duration.ofMillis(10), recording);
        return new Rig(ledger, suppressions, mailer, audience, d);
    }

    static Profile withTrait(Profile p, String name, Object value) {
        Map<String, TraitValue> t = new HashMap<>(p.traits());
        t.put(name, new TraitValue(value, Instant.parse("2026-10-01T00:00:00Z")));
        return new Profile(p.id(), p.identities(), t, p.events(), p.timeline(), p.lastOffset());
    }

    static int index(Profile p) {
        return Integer.parseInt(p.id().substring(1));
    }

    @Test
    void rejectionsAtRcptAndAtEndOfDataBounceHardOrSoftByTheirStatusAndReachTheProfile() throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer()
                     .onRcpt(a -> a.startsWith("r0000003") ? Optional.of("550 5.1.1 <" + a + ">: user unknown") : Optional.empty())
                     .onEndOfData(a -> a.startsWith("r0000004") ? Optional.of("550 5.1.1 mailbox disabled at delivery")
                             : a.startsWith("r0000006") ? Optional.of("554 5.7.1 message refused as spam") : Optional.empty());
             Rig rig = rig(relay.port(), 10, p -> p)) {
            CampaignDispatcher.Report r = rig.dispatcher().run(Campaign.simple("autumn", "everyone", "t", "news@shop.example"), "autumn");

            assertThat(r.sent()).isEqualTo(7);
            assertThat(r.bounced()).isEqualTo(3);
            assertThat(relay.received()).hasSize(7);
            for (int i : List.of(3, 4, 6)) {
                assertThat(relay.receivedFor(rig.audience().address(i))).as("r" + i).isZero();
            }
            assertThat(rig.suppressions().find(rig.audience().address(3))).get().extracting(Suppression::reason)
                    .isEqualTo(Suppression.Reason.HARD_BOUNCE);
            assertThat(rig.suppressions().find(rig.audience().address(4))).as("5xx after DATA").isPresent();
            assertThat(rig.suppressions().find(rig.audience().address(6))).as("a spam block is not a bad address").isEmpty();
            assertThat(rig.ledger().stages("autumn")).containsEntry(SendLedger.Stage.BOUNCED, 3L)
                    .containsEntry(SendLedger.Stage.DELIVERED, 7L);
            assertThat(events).extracting(b -> b.address() + " " + b.type() + " " + b.status())
                    .containsExactlyInAnyOrder("r0000003@d3.example HARD 550 5.1.1", "r0000004@d4.example HARD 550 5.1.1",
                            "r0000006@d1.example SOFT 554 5.7.1");
            assertThat(keys).allSatisfy(k -> assertThat(k).get().extracting(SendKey::campaign).isEqualTo("autumn"));
            assertThat(events).allSatisfy(b -> assertThat(b.messageId()).get().asString().endsWith("@mail.shop.example"));
        }
    }

    @Test
    void aFourHundredThatNeverClearsIsRetriedThenASoftBounceButAnUnreachableRelayNeverBouncesAnyone() throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer()
                     .onRcpt(a -> a.startsWith("r0000002") ? Optional.of("452 4.2.2 mailbox over quota") : Optional.empty());
             Rig rig = rig(relay.port(), 12, p -> p)) {
            CampaignDispatcher.Report r = rig.dispatcher().run(Campaign.simple("autumn", "everyone", "t", "news@shop.example"), "autumn");

            assertThat(r.sent()).isEqualTo(11);
            assertThat(r.bounced()).isEqualTo(1);
            assertThat(r.later()).isEmpty();
            assertThat(relay.receivedFor(rig.audience().address(2))).isZero();
            IntStream.rangeClosed(1, 12).filter(i -> i != 2)
                    .forEach(i -> assertThat(relay.receivedFor(rig.audience().address(i))).as("r" + i).isEqualTo(1));
            assertThat(rig.suppressions().find(rig.audience().address(2))).as("soft bounces do not suppress").isEmpty();
            assertThat(events).singleElement().satisfies(b -> {
                assertThat(b.type()).isEqualTo(Bounce.Type.SOFT);
                assertThat(b.status().code()).isEqualTo(452);
            });
        }
        events.clear();
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        try (Rig rig = rig(closedPort, 5, p -> p)) {
            CampaignDispatcher.Report down = rig.dispatcher().run(Campaign.simple("winter", "everyone", "t", "news@shop.example"), "winter");
            assertThat(down.later()).hasSize(5);
            assertThat(down.bounced()).isZero();
            assertThat(events).isEmpty();
        }
    }

    @Test
    void aTopicCampaignSkipsTheUnsubscribedAndAnOptInTopicAlsoThoseWhoNeverSubscribed() throws Exception {
        // p1, p2: unsubscribed from news; p3, p4: subscribed; others never said
        Function<Profile, Profile> subscriptions = p -> switch (index(p)) {
            case 1 -> withTrait(p, "topic.news", false);
            case 2 -> withTrait(p, "topic.news", "unsubscribed");
            case 3, 4 -> withTrait(p, "topic.news", true);
            default -> p;
        };
        Campaign base = Campaign.simple("news-1", "everyone", "t", "news@shop.example");
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer(); Rig rig = rig(relay.port(), 8, subscriptions)) {
            CampaignDispatcher.Report optOut = rig.dispatcher().run(base.withTopic(Optional.of(new Campaign.Topic("news", false))), "news-1");
            CampaignDispatcher.Report optIn = rig.dispatcher().run(
                    base.withTopic(Optional.of(new Campaign.Topic("news", true))), "news-2");

            assertThat(optOut.sent()).isEqualTo(6);
            assertThat(optOut.skipped()).isEqualTo(2);
            assertThat(optIn.sent()).isEqualTo(2);
            assertThat(relay.receivedFor(rig.audience().address(1))).isZero();
            assertThat(relay.receivedFor(rig.audience().address(3))).isEqualTo(2);
            assertThat(relay.receivedFor(rig.audience().address(5))).isEqualTo(1);
            assertThat(rig.ledger().skipReasons("news-1")).isEqualTo(Map.of(Consent.UNSUBSCRIBED, 2L));
            assertThat(rig.ledger().skipReasons("news-2")).isEqualTo(Map.of(Consent.UNSUBSCRIBED, 2L, Consent.NOT_SUBSCRIBED, 4L));
        }
    }
}
