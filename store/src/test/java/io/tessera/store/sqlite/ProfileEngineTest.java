package io.tessera.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.EventAggregate;
import io.tessera.profile.Identity;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileChange;
import io.tessera.profile.ProfileEngine;
import io.tessera.profile.ProfileStore;
import io.tessera.profile.ProfileStore.MergeRecord;
import io.tessera.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile engine's rules, on a real SQLite profile store. */
class ProfileEngineTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private ProfileStore store;
    private ProfileEngine engine;
    private long nextOffset;
    private int nextMessage;

    @BeforeEach
    void open() {
        store = new SqliteProfileStore(dir.resolve("tessera.db"));
        engine = new ProfileEngine(store, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Event event(EventType type, String userId, String anonymousId, String name, Map<String, Object> properties,
            Map<String, Object> traits, String previousId, Instant at) {
        return new Event("m-" + nextMessage++, type, Optional.ofNullable(userId), Optional.ofNullable(anonymousId), name,
                properties, traits, Map.of(), Map.of(), Optional.ofNullable(previousId), Optional.empty(), at, at,
                Optional.empty(), "test");
    }

    private Event identify(String userId, String anonymousId, Map<String, Object> traits, Instant at) {
        return event(EventType.IDENTIFY, userId, anonymousId, "", Map.of(), traits, null, at);
    }

    private Event track(String userId, String anonymousId, String name, Map<String, Object> properties, Instant at) {
        return event(EventType.TRACK, userId, anonymousId, name, properties, Map.of(), null, at);
    }

    private Event alias(String previousId, String userId, Instant at) {
        return event(EventType.ALIAS, userId, null, "", Map.of(), Map.of(), previousId, at);
    }

    private void deliver(Event... events) {
        List<LoggedEvent> batch = new ArrayList<>();
        for (Event e : events) {
            batch.add(new LoggedEvent(0, nextOffset++, e));
        }
        engine.onBatch(0, batch);
    }

    private Profile profileOf(Identity identity) {
        String id = store.resolve(identity).orElseThrow(() -> new AssertionError("no profile for " + identity));
        return store.get(id).orElseThrow();
    }

    @Test
    void sameMessageIdTwiceIsAppliedOnce() {
        Event order = track("u1", null, "Order Completed", Map.of("revenue", 10), T0);

        deliver(order, order);
        deliver(order);

        Profile p = profileOf(Identity.userId("u1"));
        assertThat(p.events().get("Order Completed").count()).isEqualTo(1);
        assertThat(p.events().get("Order Completed").sums()).containsEntry("revenue", 10.0);
        assertThat(store.history(p.id())).containsExactly(order);
        assertThat(store.resumeAfter(0)).isEqualTo(2);
    }

    @Test
    void redeliveryAfterARestartChangesNothing() {
        Event order = track("u1", null, "Order Completed", Map.of("revenue", 10), T0);
        deliver(order);
        Profile before = profileOf(Identity.userId("u1"));

        engine = new ProfileEngine(store, clock);
        engine.onBatch(0, List.of(new LoggedEvent(0, 0, order)));

        assertThat(profileOf(Identity.userId("u1"))).isEqualTo(before);
        assertThat(store.history(before.id())).hasSize(1);
    }

    @Test
    void lateOlderIdentifyDoesNotOverwriteNewerTrait() {
        deliver(identify("u1", null, Map.of("plan", "pro", "firstName", "Ann"), T0.plusSeconds(3600)));
        deliver(identify("u1", null, Map.of("plan", "free", "city", "Oslo"), T0));

        Profile p = profileOf(Identity.userId("u1"));
        assertThat(p.traitValues()).containsEntry("plan", "pro").containsEntry("firstName", "Ann").containsEntry("city", "Oslo");
        assertThat(p.traits().get("plan").setAt()).isEqualTo(T0.plusSeconds(3600));
        assertThat(p.traits().get("city").setAt()).isEqualTo(T0);
    }

    @Test
    void identifyWithBothIdsMakesTheAnonymousProfileKnown() {
        deliver(track(null, "a1", "Product Viewed", Map.of("price", 5), T0));
        String anonymousProfile = profileOf(Identity.anonymousId("a1")).id();

        deliver(identify("u1", "a1", Map.of("email", "Ann@Example.com"), T0.plusSeconds(60)));

        Profile p = profileOf(Identity.userId("u1"));
        assertThat(p.id()).isEqualTo(anonymousProfile);
        assertThat(p.identities()).containsEntry(IdentityKind.USER_ID, List.of("u1"))
                .containsEntry(IdentityKind.ANONYMOUS_ID, List.of("a1"))
                .containsEntry(IdentityKind.EMAIL, List.of("ann@example.com"));
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void aliasMergesAnonymousHistoryIntoKnownUser() {
        List<ProfileChange> changes = new ArrayList<>();
        engine.addListener(changes::add);
        Event view = track(null, "a1", "Product Viewed", Map.of("price", 5), T0);
        deliver(view);
        String anonymousProfile = profileOf(Identity.anonymousId("a1")).id();
        Event order = track("u1", null, "Order Completed", Map.of("revenue", 30), T0.plusSeconds(10));
        deliver(identify("u1", null, Map.of("firstName", "Ann"), T0.plusSeconds(5)), order);
        String knownProfile = profileOf(Identity.userId("u1")).id();
        assertThat(knownProfile).isNotEqualTo(anonymousProfile);

        Event alias = alias("a1", "u1", T0.plusSeconds(20));
        deliver(alias);

        Profile merged = profileOf(Identity.anonymousId("a1"));
        assertThat(merged.id()).isEqualTo(knownProfile);
        assertThat(store.get(anonymousProfile)).isEmpty();
        assertThat(merged.events()).containsKeys("Product Viewed", "Order Completed", "identify", "alias");
        assertThat(merged.traitValues()).containsEntry("firstName", "Ann");
        assertThat(store.history(knownProfile)).contains(view, order, alias);
        assertThat(store.merges(knownProfile)).containsExactly(
                new MergeRecord(anonymousProfile, knownProfile, Identity.anonymousId("a1"), alias.timestamp(), alias.messageId()));
        ProfileChange last = changes.get(changes.size() - 1);
        assertThat(last.mergedAway()).containsExactly(anonymousProfile);
        assertThat(last.before()).map(Profile::id).contains(knownProfile);
        assertThat(last.after()).isEqualTo(merged);
    }

    @Test
    void neverMergesTwoDifferentUserIds() {
        deliver(identify("u1", "a1", Map.of("email", "shared@example.com"), T0));
        String first = profileOf(Identity.userId("u1")).id();

        deliver(identify("u2", "a1", Map.of("email", "SHARED@example.com"), T0.plusSeconds(60)),
                track("u2", "a1", "Order Completed", Map.of("revenue", 5), T0.plusSeconds(70)));

        Profile second = profileOf(Identity.userId("u2"));
        assertThat(second.id()).isNotEqualTo(first);
        assertThat(second.identities().get(IdentityKind.USER_ID)).containsExactly("u2");
        assertThat(second.events()).containsKey("Order Completed");
        assertThat(profileOf(Identity.userId("u1")).identities().get(IdentityKind.USER_ID)).containsExactly("u1");
        assertThat(profileOf(Identity.userId("u1")).events()).doesNotContainKey("Order Completed");
        assertThat(store.resolve(Identity.email("shared@example.com"))).contains(first);
        assertThat(store.merges(first)).isEmpty();
    }

    @Test
    void aliasNeverJoinsTwoKnownUsersByDefault() {
        deliver(identify("u1", null, Map.of(), T0), identify("u2", null, Map.of(), T0));

        deliver(alias("u1", "u2", T0.plusSeconds(1)));

        assertThat(store.count()).isEqualTo(2);
        assertThat(profileOf(Identity.userId("u2")).events()).containsKey("alias");
    }

    @Test
    void mergesDifferentUserIdsOnlyWhenConfiguredTo() {
        engine = new ProfileEngine(store, clock, new ProfileEngine.Options(true, 100, 100));
        deliver(identify("u1", "a1", Map.of(), T0));

        deliver(identify("u2", "a1", Map.of(), T0.plusSeconds(1)));

        assertThat(store.count()).isEqualTo(1);
        assertThat(profileOf(Identity.userId("u2")).identities().get(IdentityKind.USER_ID)).containsExactly("u1", "u2");
    }

    @Test
    void contextEmailLinksAnonymousActivityCaseInsensitively() {
        deliver(identify("u1", null, Map.of("email", "Ann@Example.COM"), T0));
        Event anonymousWithEmail = new Event("m-ctx", EventType.TRACK, Optional.empty(), Optional.of("a9"), "Newsletter Opened",
                Map.of(), Map.of(), Map.of("traits", Map.of("email", " ann@example.com")), Map.of(), Optional.empty(),
                Optional.empty(), T0.plusSeconds(5), T0.plusSeconds(5), Optional.empty(), "test");

        deliver(anonymousWithEmail);

        Profile p = profileOf(Identity.userId("u1"));
        assertThat(store.count()).isEqualTo(1);
        assertThat(p.identities().get(IdentityKind.ANONYMOUS_ID)).containsExactly("a9");
        assertThat(p.events()).containsKey("Newsletter Opened");
    }

    @Test
    void aggregatesCountFirstLastAndSumNumericProperties() {
        deliver(track("u1", null, "Order Completed", Map.of("revenue", 10.5, "items", 2, "currency", "EUR"), T0.plusSeconds(100)),
                track("u1", null, "Order Completed", Map.of("revenue", 4.5, "items", 1), T0),
                track("u1", null, "Order Completed", Map.of("revenue", 1, "items", true), T0.plusSeconds(50)));

        EventAggregate a = profileOf(Identity.userId("u1")).events().get("Order Completed");
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.first()).isEqualTo(T0);
        assertThat(a.last()).isEqualTo(T0.plusSeconds(100));
        assertThat(a.sums()).containsOnly(Map.entry("revenue", 16.0), Map.entry("items", 3.0));
    }

    @Test
    void timelineKeepsTheFiftyMostRecentEventsOldestFirst() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            // arrive newest first, so the timeline has to order by event time
            events.add(track("u1", null, "Product Viewed", Map.of(), T0.plusSeconds(1000 - i)));
        }
        deliver(events.toArray(Event[]::new));

        Profile p = profileOf(Identity.userId("u1"));
        assertThat(p.timeline()).hasSize(50);
        assertThat(p.timeline().get(0).timestamp()).isEqualTo(T0.plusSeconds(1000 - 49));
        assertThat(p.timeline().get(49).timestamp()).isEqualTo(T0.plusSeconds(1000));
        assertThat(store.history(p.id())).hasSize(70);
    }

    @Test
    void listenersAreToldAfterTheChangeIsDurable() {
        List<Optional<Profile>> storedWhenTold = new ArrayList<>();
        List<ProfileChange> changes = new ArrayList<>();
        engine.addListener(c -> {
            changes.add(c);
            storedWhenTold.add(store.get(c.after().id()));
        });

        deliver(track(null, "a1", "Product Viewed", Map.of(), T0), track(null, "a1", "Product Viewed", Map.of(), T0.plusSeconds(1)));

        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).before()).isEmpty();
        assertThat(changes.get(1).before()).contains(changes.get(0).after());
        assertThat(changes.get(1).after().events().get("Product Viewed").count()).isEqualTo(2);
        assertThat(storedWhenTold).allSatisfy(p -> assertThat(p).isPresent());
        assertThat(changes).extracting(c -> c.cause().offset()).containsExactly(0L, 1L);
    }
}
