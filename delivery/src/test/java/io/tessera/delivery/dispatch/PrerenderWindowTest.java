package io.tessera.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.Mailer;
import io.tessera.delivery.SendLedger;
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
import io.tessera.testkit.MutableClock;
import io.tessera.testkit.PlainRenderer;
import io.tessera.testkit.SyntheticAudience;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages are rendered ahead of their send within the pre-render window, but never sent with
 * profile data older than the staleness limit; and a whole batch is claimed durably before the
 * first of its messages reaches the relay.
 */
class PrerenderWindowTest {

    static final Campaign AUTUMN = Campaign.simple("autumn", "everyone", "autumn-news", "news@shop.example");
    static final String MOVER = SyntheticAudience.profileId(5);

    @TempDir
    Path dir;

    @Test
    void aProfileChangeWithinTheStalenessLimitMaySendTheMessageRenderedAhead() throws Exception {
        String fifth = sendWhileTheFifthRecipientMoves(new CampaignDispatcher.Prerender(10, Duration.ofSeconds(2)),
                Duration.ofSeconds(1));
        assertThat(fifth).doesNotContain("Reykjavik");
    }

    @Test
    void aMessageOlderThanTheStalenessLimitWhenItsTurnComesIsRenderedAgainFromTheLatestProfile() throws Exception {
        String fifth = sendWhileTheFifthRecipientMoves(new CampaignDispatcher.Prerender(10, Duration.ofSeconds(2)),
                Duration.ofSeconds(3));
        assertThat(fifth).contains("new in Reykjavik");
    }

    @Test
    void aWindowOfOneRendersEachMessageRightBeforeItsSend() throws Exception {
        String fifth = sendWhileTheFifthRecipientMoves(CampaignDispatcher.Prerender.JUST_IN_TIME, Duration.ZERO);
        assertThat(fifth).contains("new in Reykjavik");
    }

    @Test
    void theWholeBatchIsClaimedDurablyBeforeItsFirstMessageIsHandedToTheRelay() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-02T12:00:00Z"));
        SyntheticAudience people = new SyntheticAudience(10, 2);
        Path db = dir.resolve("tessera.db");
        List<List<SendLedger.Pending>> openAtFirstSend = new CopyOnWriteArrayList<>();
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer();
             SqliteSendLedger ledger = new SqliteSendLedger(db);
             SqliteSuppressionList suppressions = new SqliteSuppressionList(db);
             SmtpMailer smtp = new SmtpMailer(SmtpSettings.of("127.0.0.1", relay.port()),
                     new MimeAssembler(clock, Optional.empty()));
             SqliteSendLedger observer = new SqliteSendLedger(db);
             CampaignDispatcher dispatcher = dispatcher(ledger, suppressions, (m, c) -> {
                 if (openAtFirstSend.isEmpty()) {
                     openAtFirstSend.add(observer.unconfirmed("autumn"));
                 }
                 return smtp.send(m, c);
             }, people, people, clock, new CampaignDispatcher.Prerender(10, Duration.ofSeconds(2)))) {
            CampaignDispatcher.Report report = dispatcher.run(AUTUMN, "autumn");

            assertThat(report.sent()).isEqualTo(10);
            assertThat(openAtFirstSend.getFirst()).hasSize(10)
                    .allSatisfy(p -> assertThat(p.stage()).isEqualTo(SendLedger.Stage.CLAIMED));
            assertThat(ledger.stages("autumn")).containsExactly(Map.entry(SendLedger.Stage.DELIVERED, 10L));
        }
    }

    @Test
    void aGateClosingMidBatchReleasesTheClaimedButUnsentRowsAndALaterRunSendsThemOnce() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-02T12:00:00Z"));
        SyntheticAudience people = new SyntheticAudience(10, 2);
        Path db = dir.resolve("tessera.db");
        java.util.concurrent.atomic.AtomicInteger mailed = new java.util.concurrent.atomic.AtomicInteger();
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer();
             SqliteSendLedger ledger = new SqliteSendLedger(db);
             SqliteSuppressionList suppressions = new SqliteSuppressionList(db);
             SmtpMailer smtp = new SmtpMailer(SmtpSettings.of("127.0.0.1", relay.port()),
                     new MimeAssembler(clock, Optional.empty()));
             CampaignDispatcher dispatcher = dispatcher(ledger, suppressions, (m, c) -> {
                 mailed.incrementAndGet();
                 return smtp.send(m, c);
             }, people, people, clock, new CampaignDispatcher.Prerender(10, Duration.ofSeconds(2)))) {
            CampaignDispatcher.Report paused = dispatcher.run(AUTUMN, "autumn", clock.instant(), key -> mailed.get() < 3);

            assertThat(paused.sent()).isEqualTo(3);
            assertThat(ledger.stages("autumn")).containsExactly(Map.entry(SendLedger.Stage.DELIVERED, 3L));
            assertThat(ledger.unconfirmed("autumn")).isEmpty();

            CampaignDispatcher.Report resumed = dispatcher.run(AUTUMN, "autumn");
            assertThat(resumed.sent()).isEqualTo(7);
            assertThat(resumed.alreadyHandled()).isEqualTo(3);
            for (int i = 1; i <= 10; i++) {
                assertThat(relay.receivedFor(people.address(i))).isEqualTo(1);
            }
        }
    }

    /**
     * One worker sends to ten recipients; right after the first message the fifth recipient moves to
     * Reykjavik and the clock moves on by {@code waited}. Returns the fifth recipient's message.
     */
    private String sendWhileTheFifthRecipientMoves(CampaignDispatcher.Prerender prerender, Duration waited)
            throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-02T12:00:00Z"));
        SyntheticAudience people = new SyntheticAudience(10, 2);
        AtomicBoolean moved = new AtomicBoolean();
        Recipients live = id -> people.profile(id).map(p -> !moved.get() || !id.equals(MOVER) ? p
                : new Profile(p.id(), p.identities(), withCity(p.traits(), "Reykjavik"), p.events(), p.timeline(),
                        p.lastOffset()));
        Path db = dir.resolve("tessera.db");
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer();
             SqliteSendLedger ledger = new SqliteSendLedger(db);
             SqliteSuppressionList suppressions = new SqliteSuppressionList(db);
             SmtpMailer smtp = new SmtpMailer(SmtpSettings.of("127.0.0.1", relay.port()),
                     new MimeAssembler(clock, Optional.empty()));
             CampaignDispatcher dispatcher = dispatcher(ledger, suppressions, (m, c) -> {
                 DeliveryVerdict v = smtp.send(m, c);
                 if (!moved.getAndSet(true)) {
                     clock.advance(waited);
                 }
                 return v;
             }, live, people, clock, prerender)) {
            assertThat(dispatcher.run(AUTUMN, "autumn").sent()).isEqualTo(10);
            return relay.received().stream().filter(m -> m.recipients().contains(people.address(5)))
                    .findFirst().orElseThrow().text();
        }
    }

    private static CampaignDispatcher dispatcher(SqliteSendLedger ledger, SqliteSuppressionList suppressions, Mailer mailer,
                                                 Recipients recipients, SyntheticAudience segments, MutableClock clock,
                                                 CampaignDispatcher.Prerender prerender) {
        return new CampaignDispatcher(ledger, suppressions, mailer, PlainRenderer.standard(), recipients, segments,
                TrackingLinks.NONE, clock, "mail.shop.example", 1, 0, Duration.ZERO,
                io.tessera.delivery.bounce.BounceEvents.NONE, prerender);
    }

    private static Map<String, TraitValue> withCity(Map<String, TraitValue> traits, String city) {
        Map<String, TraitValue> out = new HashMap<>(traits);
        out.put("city", new TraitValue(city, Instant.parse("2026-11-02T12:00:00Z")));
        return out;
    }
}
