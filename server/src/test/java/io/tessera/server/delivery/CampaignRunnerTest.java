package io.tessera.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.SendLedger;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.CampaignRuns;
import io.tessera.delivery.campaign.CampaignState;
import io.tessera.delivery.campaign.TrackingLinks;
import io.tessera.delivery.dispatch.CampaignDispatcher;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.delivery.outbox.OutboxMailer;
import io.tessera.store.sqlite.SqliteCampaignRuns;
import io.tessera.store.sqlite.SqliteCampaignStore;
import io.tessera.store.sqlite.SqliteOutbox;
import io.tessera.store.sqlite.SqliteSendLedger;
import io.tessera.store.sqlite.SqliteSuppressionList;
import io.tessera.testkit.PlainRenderer;
import io.tessera.testkit.SyntheticAudience;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules fire on the real scheduler with SQLite stores and the outbox: a campaign "at" a time is
 * held until then, a recurring one sends once per run, each run in its own ledger scope.
 */
class CampaignRunnerTest {

    @TempDir
    Path dir;

    static Campaign scheduled(String key, Campaign.Schedule schedule) {
        Campaign c = Campaign.simple(key, "everyone", "t", "news@shop.example");
        return new Campaign(c.key(), c.name(), c.audience(), c.template(), c.sender(), schedule, Optional.empty(),
                Campaign.Throttle.UNLIMITED, 0, List.of(), Optional.empty(), Optional.empty(), Optional.empty(), 7);
    }

    @Test
    void anAtCampaignWaitsForItsTimeAndARecurringOneSendsEveryRunOncePerRecipient() {
        Path db = dir.resolve("tessera.db");
        InstantSource clock = InstantSource.system();
        SyntheticAudience audience = new SyntheticAudience(10, 2);
        try (SqliteSendLedger ledger = new SqliteSendLedger(db); SqliteSuppressionList suppressions = new SqliteSuppressionList(db);
             SqliteOutbox outbox = new SqliteOutbox(db); SqliteCampaignRuns runs = new SqliteCampaignRuns(db);
             SqliteCampaignStore campaigns = new SqliteCampaignStore(db);
             CampaignDispatcher dispatcher = new CampaignDispatcher(ledger, suppressions,
                     new OutboxMailer(outbox, new MimeAssembler(clock, Optional.empty()), clock), PlainRenderer.standard(),
                     audience, audience, TrackingLinks.NONE, clock, "mail.shop.example", 2, 1, Duration.ofMillis(10));
             CampaignRunner runner = new CampaignRunner(dispatcher, clock, runs, new CampaignControls(campaigns, clock),
                     audience, ledger, key -> 0)) {
            Instant at = clock.instant().plusMillis(1500);
            Map<String, Object> started = runner.start(scheduled("later", new Campaign.Schedule.At(at)));
            assertThat(started).containsEntry("status", "scheduled");
            assertThat(outbox.count(Optional.of("later"))).as("nothing before its time").isZero();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> outbox.count(Optional.of("later")) == 10);
            assertThat(clock.instant()).isAfterOrEqualTo(at);

            Instant first = clock.instant();
            runner.start(scheduled("weekly", new Campaign.Schedule.Recurring(first, Duration.ofSeconds(1))));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runner.status("weekly").size() >= 3);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ledger.rows("weekly@" + first.plusSeconds(1)).size() == 10);
            Map<String, Long> perRecipient = outbox.list(Optional.empty(), 0, 1000).stream()
                    .filter(m -> m.campaign().startsWith("weekly"))
                    .collect(Collectors.groupingBy(m -> m.to(), Collectors.counting()));
            assertThat(ledger.rows("weekly@" + first)).hasSize(10);
            assertThat(perRecipient).hasSize(10);
            assertThat(perRecipient.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(2));
        }
    }

    @Test
    void aPausedRecurringCampaignSkipsTheRunsDueWhilePausedAndResumesWithTheNextOne() throws Exception {
        Path db = dir.resolve("tessera.db");
        InstantSource clock = InstantSource.system();
        SyntheticAudience audience = new SyntheticAudience(5, 1);
        try (SqliteSendLedger ledger = new SqliteSendLedger(db); SqliteSuppressionList suppressions = new SqliteSuppressionList(db);
             SqliteOutbox outbox = new SqliteOutbox(db); SqliteCampaignRuns runs = new SqliteCampaignRuns(db);
             SqliteCampaignStore campaigns = new SqliteCampaignStore(db);
             CampaignDispatcher dispatcher = new CampaignDispatcher(ledger, suppressions,
                     new OutboxMailer(outbox, new MimeAssembler(clock, Optional.empty()), clock), PlainRenderer.standard(),
                     audience, audience, TrackingLinks.NONE, clock, "mail.shop.example", 2, 1, Duration.ofMillis(10));
             CampaignRunner runner = new CampaignRunner(dispatcher, clock, runs, new CampaignControls(campaigns, clock),
                     audience, ledger, key -> 0)) {
            Campaign weekly = scheduled("weekly", new Campaign.Schedule.Recurring(clock.instant(), Duration.ofMillis(400)));
            campaigns.put(weekly);
            runner.start(weekly);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> scopes(ledger).size() >= 2);

            assertThat(runner.control(weekly, CampaignState.Action.PAUSE))
                    .isEqualTo(new CampaignState.Transition.Changed(CampaignState.PAUSED));
            Instant pausedAt = clock.instant(); // every occurrence opened before this is due before it
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runner.status("weekly").values().stream()
                    .noneMatch(s -> String.valueOf(s).contains("state=running") || String.valueOf(s).contains("state=scheduled")));
            java.util.Set<String> beforePause = scopes(ledger);
            Thread.sleep(1200); // three periods fall due while paused
            assertThat(scopes(ledger)).as("nothing runs while paused").isEqualTo(beforePause);

            Instant resumedAt = clock.instant();
            runner.control(weekly, CampaignState.Action.RESUME);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> scopes(ledger).size() > beforePause.size()
                    && ledger.rowsOfRuns("weekly").stream().allMatch(r -> r.stage() == SendLedger.Stage.DELIVERED));
            java.util.Set<String> added = new java.util.HashSet<>(scopes(ledger));
            added.removeAll(beforePause);
            // an occurrence that fell due before the pause but had not started yet stays open and is continued;
            // none that fell due while paused is made up
            assertThat(added).as("the periods due while paused are not made up").allSatisfy(scope -> {
                Instant due = Instant.parse(scope.substring("weekly@".length()));
                assertThat(due.isBefore(pausedAt) || !due.isBefore(resumedAt)).as(scope).isTrue();
            });
        }
    }

    @Test
    void anAtCampaignPausedBeforeItsTimeDoesNotStartAndSendsOnceResumed() throws Exception {
        Path db = dir.resolve("tessera.db");
        InstantSource clock = InstantSource.system();
        SyntheticAudience audience = new SyntheticAudience(5, 1);
        try (SqliteSendLedger ledger = new SqliteSendLedger(db); SqliteSuppressionList suppressions = new SqliteSuppressionList(db);
             SqliteOutbox outbox = new SqliteOutbox(db); SqliteCampaignRuns runs = new SqliteCampaignRuns(db);
             SqliteCampaignStore campaigns = new SqliteCampaignStore(db);
             CampaignDispatcher dispatcher = new CampaignDispatcher(ledger, suppressions,
                     new OutboxMailer(outbox, new MimeAssembler(clock, Optional.empty()), clock), PlainRenderer.standard(),
                     audience, audience, TrackingLinks.NONE, clock, "mail.shop.example", 2, 1, Duration.ofMillis(10));
             CampaignRunner runner = new CampaignRunner(dispatcher, clock, runs, new CampaignControls(campaigns, clock),
                     audience, ledger, key -> 0)) {
            Instant at = clock.instant().plusMillis(500);
            Campaign later = scheduled("later", new Campaign.Schedule.At(at));
            campaigns.put(later);
            runner.start(later);
            runner.control(later, CampaignState.Action.PAUSE);
            Thread.sleep(Math.max(0, Duration.between(clock.instant(), at).toMillis()) + 700);
            assertThat(outbox.count(Optional.of("later"))).as("its time passed while paused").isZero();
            assertThat(runs.openRuns()).extracting(CampaignRuns.Run::scope).containsExactly("later");

            runner.control(later, CampaignState.Action.RESUME);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runs.finished("later"));
            assertThat(outbox.count(Optional.of("later"))).isEqualTo(5);
        }
    }

    /** The runs that sent something: each run is its own ledger scope {@code weekly@<due>}. */
    static java.util.Set<String> scopes(SqliteSendLedger ledger) {
        return ledger.rowsOfRuns("weekly").stream().map(r -> r.key().campaign()).collect(Collectors.toSet());
    }
}
