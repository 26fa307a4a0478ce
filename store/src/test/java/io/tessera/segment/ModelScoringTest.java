package io.tessera.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.Identity;
import io.tessera.profile.ProfileEngine;
import io.tessera.store.sqlite.SqliteMembershipStore;
import io.tessera.store.sqlite.SqliteProfileStore;
import io.tessera.store.sqlite.SqliteSegmentDefinitionStore;
import io.tessera.store.sqlite.SqliteWindowTimerStore;
import io.tessera.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFM and predictive scores kept current: incrementally as orders arrive (the profile-engine
 * listener) and by the scheduled jobs as time passes; segments reading them follow. Real SQLite
 * stores and the real profile engine; purchase histories from a seeded generator.
 */
class ModelScoringTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));
    private SqliteProfileStore profileStore;
    private SqliteMembershipStore memberships;
    private SqliteWindowTimerStore timers;
    private SqliteSegmentDefinitionStore definitions;
    private ProfileEngine profiles;
    private SegmentRegistry registry;
    private ModelScores scores;
    private ModelScoring scoring;
    private long offset = -1;
    private int messages;

    @BeforeEach
    void start() {
        Path db = dir.resolve("tessera.db");
        profileStore = new SqliteProfileStore(db);
        memberships = new SqliteMembershipStore(db);
        timers = new SqliteWindowTimerStore(db);
        definitions = new SqliteSegmentDefinitionStore(db);
        scores = new ModelScores();
        SegmentEngine segments = new SegmentEngine(profileStore, memberships, timers, scores, clock, 1000);
        profiles = new ProfileEngine(profileStore, clock);
        profiles.addListener(segments);
        scoring = new ModelScoring(profileStore, scores, segments, clock, ModelScoring.Settings.defaults());
        profiles.addListener(scoring);
        registry = new SegmentRegistry(definitions, memberships, segments, profileStore, clock, Runnable::run);
        registry.start();
    }

    @AfterEach
    void stop() {
        memberships.close();
        timers.close();
        definitions.close();
        profileStore.close();
    }

    private void order(String user, Instant at, double revenue) {
        profiles.onBatch(0, List.of(new LoggedEvent(0, ++offset,
                Event.track("m" + (messages++), user, "Order Completed", Map.of("revenue", revenue), at))));
    }

    private String profileOf(String user) {
        return profileStore.resolve(Identity.userId(user)).orElseThrow();
    }

    /**
     * 40 customers over the 40 weeks before now: u0 buys every week, u1 once long ago, the rest
     * buy every few weeks from a random start, and about half of them stop for good at some point
     * (the dropouts BG/NBD learns from).
     */
    private void histories() {
        Random r = new Random(20261101);
        for (int w = 40; w >= 1; w--) {
            order("u0", clock.instant().minus(Duration.ofDays(7L * w)), 60);
        }
        order("u1", clock.instant().minus(Duration.ofDays(270)), 20);
        for (int c = 2; c < 40; c++) {
            int start = 20 + r.nextInt(20);
            int stop = r.nextBoolean() ? 1 + r.nextInt(start - 5) : 0;
            for (int w = start; w > stop; w -= 1 + r.nextInt(4)) {
                order("u" + c, clock.instant().minus(Duration.ofDays(7L * w + r.nextInt(3))), 10 + r.nextInt(90));
            }
        }
    }

    @Test
    void rfmIsRefreshedOnScheduleAndAtOnceWhenAnOrderArrives() {
        registry.save("recent_buyers", "", "has(rfm.r) && rfm.r == 5");
        histories();
        assertThat(scoring.refreshRfm()).isEqualTo(40);
        String lapsed = profileOf("u1");
        assertThat(scores.rfm(lapsed)).containsEntry("r", 1L).containsEntry("group", "Hibernating");
        assertThat(scores.rfm(profileOf("u0")).get("group")).isEqualTo("Champions");
        assertThat(memberships.memberships(lapsed)).doesNotContainKey("recent_buyers");

        order("u1", clock.instant(), 35);

        assertThat(scores.rfm(lapsed)).containsEntry("r", 5L);
        assertThat(memberships.memberships(lapsed)).containsKey("recent_buyers");
        assertThat(memberships.changes(lapsed)).extracting(MembershipChange::cause).containsExactly("rescore");
    }

    @Test
    void predictionsAreRefittedAndFallAsTimePasses() {
        registry.save("likely_churned", "", "has(predicted.p_alive) && predicted.p_alive < 0.5");
        histories();
        assertThat(scoring.refit()).isTrue();
        String regular = profileOf("u0");
        assertThat((Double) scores.predicted(regular).get("p_alive")).isGreaterThan(0.9);
        assertThat((Double) scores.predicted(regular).get("clv")).isGreaterThan(0.0);
        assertThat(memberships.memberships(regular)).doesNotContainKey("likely_churned");

        clock.advance(Duration.ofDays(7 * 30));
        scoring.rescorePredicted();

        assertThat((Double) scores.predicted(regular).get("p_alive")).isLessThan(0.5);
        assertThat(memberships.memberships(regular)).containsKey("likely_churned");
        assertThat(memberships.changes(regular)).extracting(MembershipChange::cause).containsExactly("rescore");
    }

    @Test
    void refitKeepsNoModelWithoutEnoughRepeatCustomers() {
        order("u1", clock.instant().minus(Duration.ofDays(3)), 10);
        assertThat(scoring.refit()).isFalse();
        assertThat(scoring.fitted()).isFalse();
        assertThat(scores.predicted(profileOf("u1"))).isEmpty();
    }
}
