package io.tessera.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.CampaignControl;
import io.tessera.delivery.campaign.CampaignState;
import io.tessera.delivery.campaign.TrackingLinks;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.delivery.smtp.SmtpMailer;
import io.tessera.delivery.smtp.SmtpSettings;
import io.tessera.segment.MembershipChange;
import io.tessera.store.sqlite.SqliteCampaignStore;
import io.tessera.store.sqlite.SqliteMembershipStore;
import io.tessera.store.sqlite.SqliteSendLedger;
import io.tessera.store.sqlite.SqliteSuppressionList;
import io.tessera.store.sqlite.SqliteTriggerQueue;
import io.tessera.testkit.MutableClock;
import io.tessera.testkit.PlainRenderer;
import io.tessera.testkit.SyntheticAudience;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A paused triggered campaign stops triggering, against GreenMail (a real SMTP server; we assert
 * who it received mail for): an entry queued before the pause is held and sent after the resume;
 * entering the segment while paused queues nothing, so the resume causes no burst; a cancelled
 * campaign drops what it had queued and never sends again.
 */
class TriggeredPauseTest {

    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    static final String ANN = SyntheticAudience.profileId(4);
    static final String BOB = SyntheticAudience.profileId(8);
    static final String CY = SyntheticAudience.profileId(12);

    @RegisterExtension
    GreenMailExtension relay = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(T0);
    SyntheticAudience people = new SyntheticAudience(20, 2);
    SqliteMembershipStore memberships;
    SqliteCampaignStore campaigns;
    SqliteTriggerQueue queue;
    SqliteSendLedger ledger;
    SqliteSuppressionList suppressions;
    SmtpMailer mailer;
    CampaignDispatcher dispatcher;
    TriggeredSends triggers;

    @BeforeEach
    void open() {
        Path db = dir.resolve("tessera.db");
        memberships = new SqliteMembershipStore(db);
        campaigns = new SqliteCampaignStore(db);
        ledger = new SqliteSendLedger(db);
        suppressions = new SqliteSuppressionList(db);
        queue = new SqliteTriggerQueue(db);
        mailer = new SmtpMailer(SmtpSettings.of("127.0.0.1", relay.getSmtp().getPort()), new MimeAssembler(clock, Optional.empty()));
        dispatcher = new CampaignDispatcher(ledger, suppressions, mailer, PlainRenderer.standard(), people,
                new TriggeredSendsTest.Members(memberships), TrackingLinks.NONE, clock, "mail.shop.example", 1, 0, Duration.ZERO);
        triggers = new TriggeredSends(campaigns, queue, dispatcher, clock);
        campaigns.put(Campaign.simple("abandoned", "browsers", "t", "news@shop.example")
                .withTrigger(Optional.of(new Campaign.Trigger("browsers", Duration.ofHours(1)))));
        triggers.refresh();
    }

    @AfterEach
    void close() {
        triggers.close();
        dispatcher.close();
        mailer.close();
        queue.close();
        memberships.close();
        campaigns.close();
        ledger.close();
        suppressions.close();
    }

    /** What the routes do: record the state, then have the triggers re-read their index. */
    void state(CampaignState s) {
        campaigns.control("abandoned", new CampaignControl(s, clock.instant()));
        triggers.refresh();
    }

    void change(String profileId, boolean entered) {
        List<MembershipChange> changes = List.of(new MembershipChange("browsers", 1, profileId, entered, clock.instant(),
                "event:" + profileId + clock.instant()));
        memberships.apply(changes);
        triggers.onChanges(changes);
    }

    List<String> received() throws MessagingException {
        List<String> to = new ArrayList<>();
        for (MimeMessage m : relay.getReceivedMessages()) {
            to.add(m.getRecipients(Message.RecipientType.TO)[0].toString());
        }
        return to;
    }

    String address(String profileId) {
        return people.address(Integer.parseInt(profileId.replaceAll("\\D", "")));
    }

    @Test
    void pausedTriggerHoldsWhatWasQueuedIgnoresNewEntriesAndSendsTheHeldOnesAfterResume() throws Exception {
        change(ANN, true);
        state(CampaignState.PAUSED);
        change(BOB, true);
        assertThat(queue.pending("abandoned")).as("entering while paused queues nothing").isEqualTo(1);

        clock.advance(Duration.ofHours(2));
        assertThat(triggers.fireDue().deferred()).as("held while paused").isEqualTo(1);
        assertThat(received()).isEmpty();

        state(CampaignState.ACTIVE);
        clock.advance(TriggeredSends.PAUSED_RECHECK);
        assertThat(triggers.fireDue().sent()).isEqualTo(1);
        assertThat(received()).as("the held entry, and no burst for who entered while paused").containsExactly(address(ANN));

        change(CY, true);
        clock.advance(Duration.ofHours(1));
        assertThat(triggers.fireDue().sent()).as("triggering again after the resume").isEqualTo(1);
        assertThat(received()).containsExactly(address(ANN), address(CY));
    }

    @Test
    void cancelledTriggerDropsItsQueueAndNeverSendsAgain() throws Exception {
        change(ANN, true);
        state(CampaignState.CANCELLED);
        change(BOB, true);
        clock.advance(Duration.ofHours(2));
        TriggeredSends.Pass pass = triggers.fireDue();
        assertThat(pass.sent()).isZero();
        assertThat(queue.pending("abandoned")).isZero();
        assertThat(received()).isEmpty();
        assertThat(ledger.rowsOfRuns("abandoned")).isEmpty();
    }
}
