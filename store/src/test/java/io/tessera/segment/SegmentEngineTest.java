package io.tessera.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import io.tessera.event.EventType;
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
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segment engine behind the real profile engine, on real SQLite stores. */
class SegmentEngineTest {
    private static final String BROWSE_ABANDONERS =
            "count(\"Product Viewed\", duration(\"48h\")) > 0 && count(\"Order Completed\", duration(\"48h\")) == 0";

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));
    private SqliteProfileStore profileStore;
    private SqliteMembershipStore memberships;
    private SqliteWindowTimerStore timers;
    private SqliteSegmentDefinitionStore definitions;
    private ProfileEngine profiles;
    private SegmentEngine segments;
    private SegmentRegistry registry;
    private final List<MembershipChange> stream = new ArrayList<>();
    private long offset = -1;

    @BeforeEach
    void start() {
        Path db = dir.resolve("tessera.db");
        profileStore = new SqliteProfileStore(db);
        memberships = new SqliteMembershipStore(db);
        timers = new SqliteWindowTimerStore(db);
        definitions = new SqliteSegmentDefinitionStore(db);
        profiles = new ProfileEngine(profileStore, clock);
        boot();
    }

    /** A (re)start: new engines over the same durable stores. */
    private void boot() {
        boot(1000);
    }

    /** A (re)start caching at most this many profiles' window states. */
    private void boot(int cachedProfiles) {
        segments = new SegmentEngine(profileStore, memberships, timers, ProfileScores.none(), clock, cachedProfiles);
        segments.addListener(stream::addAll);
        profiles = new ProfileEngine(profileStore, clock);
        profiles.addListener(segments);
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

    private void send(Event... events) {
        List<LoggedEvent> batch = new ArrayList<>();
        for (Event e : events) {
            batch.add(new LoggedEvent(0, ++offset, e));
        }
        profiles.onBatch(0, batch);
    }

    private Event track(String id, String user, String name, Map<String, Object> props) {
        return Event.track(id, user, name, props, clock.instant());
    }

    private Event identify(String id, String user, Map<String, Object> traits) {
        return new Event(id, EventType.IDENTIFY, Optional.of(user), Optional.empty(), "", Map.of(), traits,
                Map.of(), Map.of(), Optional.empty(), Optional.empty(), clock.instant(), clock.instant(), Optional.empty(), "test");
    }

    private String profileOf(String user) {
        return profileStore.resolve(Identity.userId(user)).orElseThrow();
    }

    @Test
    void profileEntersOnTheEventAndLeavesWhenTheWindowExpires() {
        assertThat(registry.save("browse_abandoners", "Browse abandoners", BROWSE_ABANDONERS)).isInstanceOf(SaveVerdict.Saved.class);
        send(track("m1", "u1", "Product Viewed", Map.of("sku", "A")));
        String p = profileOf("u1");
        assertThat(memberships.memberships(p)).containsKey("browse_abandoners");
        assertThat(stream).extracting(MembershipChange::cause).containsExactly("event:m1");

        clock.advance(Duration.ofHours(48).minusMillis(1));
        assertThat(segments.fireDueTimers(100)).isZero();
        assertThat(memberships.count("browse_abandoners")).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(segments.nextTimer()).contains(Instant.parse("2026-11-03T10:00:00Z"));
        assertThat(segments.fireDueTimers(100)).isEqualTo(1);
        assertThat(memberships.count("browse_abandoners")).isZero();
        assertThat(memberships.changes(p)).extracting(MembershipChange::entered, MembershipChange::cause)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(true, "event:m1"),
                        org.assertj.core.groups.Tuple.tuple(false, "timer:2026-11-03T10:00:00Z"));
    }

    /**
     * A cache smaller than the population evicts states while events keep coming: evicted states
     * give their arena blocks back (the arena holds at most the cached states' blocks), and a
     * profile whose state was evicted is rebuilt from its history with the right memberships.
     */
    @Test
    void evictedStatesGiveTheirArenaBlocksBackAndRebuildCorrectly() {
        boot(5);
        registry.save("browse_abandoners", "", BROWSE_ABANDONERS);
        registry.save("big_spender", "", "sum(\"Order Completed\", \"revenue\", duration(\"48h\")) > 100.0");
        for (int round = 0; round < 3; round++) {
            for (int u = 0; u < 40; u++) {
                clock.advance(Duration.ofSeconds(1));
                send(track("m" + round + "-" + u, "u" + u, u % 3 == 0 && round == 2 ? "Order Completed" : "Product Viewed",
                        Map.of("revenue", 60)));
                assertThat(segments.cachedStateBlocks()).as("round %d user %d", round, u).isLessThanOrEqualTo(5);
            }
        }
        for (int u = 0; u < 40; u++) {
            Map<String, Instant> m = memberships.memberships(profileOf("u" + u));
            if (u % 3 == 0) {
                // viewed twice, then bought once (60, not above 100)
                assertThat(m).as("u%d", u).doesNotContainKey("browse_abandoners").doesNotContainKey("big_spender");
            } else {
                assertThat(m).as("u%d", u).containsOnlyKeys("browse_abandoners");
            }
        }
    }

    @Test
    void aTraitSetToNullByTheClientIsUnsetAndDoesNotStopTheEngine() {
        registry.save("vip", "", "has(traits.plan) && traits.plan == \"vip\"");
        Map<String, Object> cleared = new java.util.HashMap<>();
        cleared.put("plan", null); // Segment's way of clearing a trait: {"traits": {"plan": null}}
        send(identify("m1", "u1", Map.of("plan", "vip")));
        assertThat(memberships.memberships(profileOf("u1"))).containsKey("vip");
        clock.advance(Duration.ofMinutes(1));
        send(identify("m2", "u1", cleared));
        assertThat(memberships.memberships(profileOf("u1"))).isEmpty();
        send(track("m3", "u2", "Product Viewed", Map.of()));
        assertThat(profileStore.resolve(Identity.userId("u2"))).isPresent();
    }

    @Test
    void aPurchaseTakesTheProfileOutAtOnce() {
        registry.save("browse_abandoners", "", BROWSE_ABANDONERS);
        send(track("m1", "u1", "Product Viewed", Map.of()));
        clock.advance(Duration.ofMinutes(5));
        send(track("m2", "u1", "Order Completed", Map.of("revenue", 30)));
        assertThat(memberships.memberships(profileOf("u1"))).isEmpty();
        assertThat(stream).extracting(MembershipChange::entered, MembershipChange::cause)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(true, "event:m1"), org.assertj.core.groups.Tuple.tuple(false, "event:m2"));
    }

    @Test
    void timersSurviveARestart() {
        registry.save("browse_abandoners", "", BROWSE_ABANDONERS);
        send(track("m1", "u1", "Product Viewed", Map.of()));
        boot();
        clock.advance(Duration.ofHours(49));
        assertThat(segments.fireDueTimers(100)).isEqualTo(1);
        assertThat(memberships.memberships(profileOf("u1"))).isEmpty();
    }

    @Test
    void aNewSegmentIsBackfilledOverExistingProfilesWithProgress() {
        send(track("m1", "u1", "Order Completed", Map.of("revenue", 120)), track("m2", "u2", "Order Completed", Map.of("revenue", 20)),
                track("m3", "u3", "Product Viewed", Map.of()));
        SaveVerdict v = registry.save("big_spenders", "Big spenders", "sum(\"Order Completed\", \"revenue\") >= 100.0");
        assertThat(v).isInstanceOf(SaveVerdict.Saved.class);
        assertThat(registry.backfill("big_spenders")).get()
                .isEqualTo(new Backfill.Progress("big_spenders", 1, 3, 3, Backfill.Status.DONE));
        assertThat(memberships.members("big_spenders", "", 10)).extracting(MembershipStore.Member::profileId)
                .containsExactly(profileOf("u1"));
        assertThat(stream).extracting(MembershipChange::cause).containsExactly("backfill:v1");

        registry.save("big_spenders", "Big spenders", "sum(\"Order Completed\", \"revenue\") >= 10.0");
        assertThat(memberships.count("big_spenders")).isEqualTo(2);
        assertThat(registry.versions("big_spenders")).extracting(SegmentDefinition::version).containsExactly(1, 2);
    }

    @Test
    void newProfilesEnterSegmentsThatNeedNoEvents() {
        registry.save("never_bought", "", "count(\"Order Completed\") == 0");
        send(track("m1", "u1", "Product Viewed", Map.of()));
        assertThat(memberships.memberships(profileOf("u1"))).containsKey("never_bought");
    }

    @Test
    void segmentsOfSegmentsFollowTheirDependencies() {
        registry.save("browse_abandoners", "", BROWSE_ABANDONERS);
        registry.save("pro_abandoners", "", "in_segment(\"browse_abandoners\") && has(traits.plan) && traits.plan == \"pro\"");
        send(new Event("i1", EventType.IDENTIFY, Optional.of("u1"), Optional.empty(), "", Map.of(), Map.of("plan", "pro"),
                Map.of(), Map.of(), Optional.empty(), Optional.empty(), clock.instant(), clock.instant(), Optional.empty(), "api"));
        send(track("m1", "u1", "Product Viewed", Map.of()));
        assertThat(memberships.memberships(profileOf("u1"))).containsOnlyKeys("browse_abandoners", "pro_abandoners");
        clock.advance(Duration.ofHours(48));
        segments.fireDueTimers(100);
        assertThat(memberships.memberships(profileOf("u1"))).isEmpty();
        assertThat(registry.delete("browse_abandoners")).get().asString().contains("pro_abandoners");
    }

    @Test
    void rejectsInvalidConditionsWithPositionAndKeepsTheOldVersion() {
        registry.save("s", "", "count(\"A\") > 0");
        SaveVerdict v = registry.save("s", "", "count(\"A\") >");
        assertThat(v).isInstanceOfSatisfying(SaveVerdict.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo("invalid_condition");
            assertThat(r.column()).isEqualTo(13);
        });
        assertThat(registry.get("s")).get().extracting(SegmentDefinition::version).isEqualTo(1);
        assertThat(registry.save("t", "", "in_segment(\"nope\")")).isInstanceOf(SaveVerdict.Rejected.class);
    }

    @Test
    void explainsAProfile() {
        registry.save("browse_abandoners", "", BROWSE_ABANDONERS);
        send(track("m1", "u1", "Product Viewed", Map.of()));
        Explanation x = segments.explain("browse_abandoners", profileOf("u1")).orElseThrow();
        assertThat(x.member()).isTrue();
        assertThat(x.steps()).contains(new Explanation.Step("count(\"Order Completed\", duration(\"48h\"))", "0"));
    }
}
