package io.tessera.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.SendLedger;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.SegmentMembers;
import io.tessera.delivery.campaign.TrackingLinks;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.delivery.outbox.OutboxMailer;
import io.tessera.segment.MembershipChange;
import io.tessera.segment.MembershipStore;
import io.tessera.store.sqlite.SqliteCampaignStore;
import io.tessera.store.sqlite.SqliteMembershipStore;
import io.tessera.store.sqlite.SqliteOutbox;
import io.tessera.store.sqlite.SqliteSendLedger;
import io.tessera.store.sqlite.SqliteSuppressionList;
import io.tessera.store.sqlite.SqliteTriggerQueue;
import io.tessera.testkit.MutableClock;
import io.tessera.testkit.PlainRenderer;
import io.tessera.testkit.SyntheticAudience;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triggered campaigns on real SQLite (memberships, trigger queue, ledger, outbox) with a
 * controllable clock: delay, re-check at send time, durability across a restart, frequency caps
 * across campaigns, quiet hours, and that backfills do not trigger.
 */
class TriggeredSendsTest {

    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    static final String ANN = SyntheticAudience.profileId(4);   // time zone UTC
    static final String BOB = SyntheticAudience.profileId(8);   // time zone UTC

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(T0);
    SqliteMembershipStore memberships;
    SqliteCampaignStore campaigns;
    SqliteTriggerQueue queue;
    SqliteSendLedger ledger;
    SqliteSuppressionList suppressions;
    SqliteOutbox outbox;
    CampaignDispatcher dispatcher;
    TriggeredSends triggers;

    @BeforeEach
    void open() {
        Path db = dir.resolve("tessera.db");
        memberships = new SqliteMembershipStore(db);
        campaigns = new SqliteCampaignStore(db);
        ledger = new SqliteSendLedger(db);
        suppressions = new SqliteSuppressionList(db);
        outbox = new SqliteOutbox(db);
        SyntheticAudience people = new SyntheticAudience(20, 2);
        dispatcher = new CampaignDispatcher(ledger, suppressions, new OutboxMailer(outbox, new MimeAssembler(clock, Optional.empty()), clock),
                PlainRenderer.standard(), people, new Members(memberships), TrackingLinks.NONE, clock, "mail.shop.example", 1, 0,
                Duration.ZERO);
        openTriggers();
    }

    void openTriggers() {
        queue = new SqliteTriggerQueue(dir.resolve("tessera.db"));
        triggers = new TriggeredSends(campaigns, queue, dispatcher, clock);
    }

    @AfterEach
    void close() {
        triggers.close();
        queue.close();
        dispatcher.close();
        memberships.close();
        campaigns.close();
        ledger.close();
        suppressions.close();
        outbox.close();
    }

    static Campaign abandoned(Duration delay) {
        return Campaign.simple("abandoned", "browsers", "t", "news@shop.example")
                .withTrigger(Optional.of(new Campaign.Trigger("browsers", delay)));
    }

    void save(Campaign c) {
        campaigns.put(c);
        triggers.refresh();
    }

    void change(String profileId, boolean entered, String cause) {
        List<MembershipChange> changes = List.of(new MembershipChange("browsers", 1, profileId, entered, clock.instant(), cause));
        memberships.apply(changes);
        triggers.onChanges(changes);
    }

    long mailed() {
        return outbox.count(Optional.of("abandoned"));
    }

    @Test
    void entrySendsOnceTheDelayHasPassedAndNotBefore() {
        save(abandoned(Duration.ofHours(2)));
        change(ANN, true, "event:m1");
        clock.advance(Duration.ofMinutes(119));
        assertThat(triggers.fireDue().sent()).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(triggers.fireDue().sent()).isEqualTo(1);
        assertThat(triggers.fireDue().sent()).isZero();
        assertThat(mailed()).isEqualTo(1);
        assertThat(outbox.list(Optional.of("abandoned"), 0, 10).getFirst().to()).isEqualTo("r0000004@d0.example");
        assertThat(ledger.rowsOfRuns("abandoned")).singleElement()
                .satisfies(r -> assertThat(r.key().campaign()).isEqualTo("abandoned#" + T0));
    }

    @Test
    void profileThatLeftTheSegmentBeforeTheDelayIsNotSent() {
        save(abandoned(Duration.ofHours(2)));
        change(ANN, true, "event:m1");
        clock.advance(Duration.ofHours(1));
        change(ANN, false, "event:m2");
        clock.advance(Duration.ofHours(1));
        TriggeredSends.Pass pass = triggers.fireDue();
        assertThat(pass.sent()).isZero();
        assertThat(pass.skipped()).isEqualTo(1);
        assertThat(mailed()).isZero();
        assertThat(queue.pending("abandoned")).isZero();
    }

    @Test
    void pendingEntriesSurviveARestart() {
        save(abandoned(Duration.ofDays(2)));
        change(ANN, true, "event:m1");
        triggers.close();
        queue.close();
        openTriggers();
        clock.advance(Duration.ofDays(2));
        assertThat(triggers.fireDue().sent()).isEqualTo(1);
        assertThat(mailed()).isEqualTo(1);
    }

    @Test
    void frequencyCapCountsMessagesOfEveryCampaignFromTheLedger() {
        save(abandoned(Duration.ZERO).withTiming(Optional.empty(), Optional.empty(),
                Optional.of(new Campaign.FrequencyCap(1, Duration.ofDays(1)))));
        ledger.claim(new SendKey("newsletter", ANN), "n1@mail.shop.example", "A", T0.minus(Duration.ofHours(3)));
        ledger.confirm(new SendKey("newsletter", ANN), SendLedger.Stage.DELIVERED, "250", T0);
        change(ANN, true, "event:m1");
        change(BOB, true, "event:m2");
        TriggeredSends.Pass pass = triggers.fireDue();
        assertThat(pass.sent()).isEqualTo(1);
        assertThat(pass.skipped()).isEqualTo(1);
        assertThat(ledger.skipReasons("abandoned#" + T0)).containsEntry("frequency_cap", 1L);

        clock.advance(Duration.ofDays(1));
        change(ANN, false, "event:m3");
        change(ANN, true, "event:m4");
        assertThat(triggers.fireDue().sent()).as("a re-entry a day later is a new send").isEqualTo(1);
        assertThat(mailed()).isEqualTo(2);
    }

    @Test
    void quietHoursMoveTheSendToTheirEnd() {
        clock.set(Instant.parse("2026-11-02T22:30:00Z"));
        save(abandoned(Duration.ofMinutes(10)).withTiming(Optional.empty(),
                Optional.of(new Campaign.QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0))), Optional.empty()));
        change(ANN, true, "event:m1");
        clock.advance(Duration.ofMinutes(10));
        assertThat(triggers.fireDue().deferred()).isEqualTo(1);
        assertThat(queue.next()).hasValue(Instant.parse("2026-11-03T08:00:00Z"));
        clock.set(Instant.parse("2026-11-03T07:59:00Z"));
        assertThat(triggers.fireDue().sent()).isZero();
        clock.set(Instant.parse("2026-11-03T08:00:00Z"));
        assertThat(triggers.fireDue().sent()).isEqualTo(1);
        assertThat(mailed()).isEqualTo(1);
    }

    @Test
    void segmentBackfillsAndExitsDoNotTrigger() {
        save(abandoned(Duration.ZERO));
        change(ANN, true, "backfill:v1");
        change(BOB, false, "event:m1");
        assertThat(queue.pending("abandoned")).isZero();
        assertThat(triggers.fireDue().sent()).isZero();
    }

    @Test
    void scheduledCampaignsDoNotTriggerAndADeletedTriggerDropsItsEntries() {
        campaigns.put(Campaign.simple("weekly", "browsers", "t", "news@shop.example"));
        save(abandoned(Duration.ofHours(1)));
        change(ANN, true, "event:m1");
        assertThat(queue.pending("weekly")).isZero();
        save(abandoned(Duration.ofHours(1)).withTrigger(Optional.empty()));
        clock.advance(Duration.ofHours(1));
        assertThat(triggers.fireDue().sent()).isZero();
        assertThat(queue.pending("abandoned")).isZero();
    }

    /** The real membership store behind the campaign port (as the server's adapter does it). */
    record Members(MembershipStore store) implements SegmentMembers {
        @Override
        public List<String> members(String segment, String afterId, int limit) {
            return store.members(segment, afterId, limit).stream().map(MembershipStore.Member::profileId).toList();
        }

        @Override
        public boolean contains(String segment, String profileId) {
            return store.memberships(profileId).containsKey(segment);
        }
    }
}
