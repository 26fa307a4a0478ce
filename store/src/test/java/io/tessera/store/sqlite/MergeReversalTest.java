package io.tessera.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.Identity;
import io.tessera.profile.MergeReversal;
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

/** Reversing an identity merge, by the profile engine on real SQLite. */
class MergeReversalTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final List<LoggedEvent> delivered = new ArrayList<>();
    private ProfileStore store;
    private ProfileEngine engine;
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

    private Event event(EventType type, String userId, String anonymousId, String name, Map<String, Object> traits, int second) {
        Instant at = T0.plusSeconds(second);
        return new Event("m-" + nextMessage++, type, Optional.ofNullable(userId), Optional.ofNullable(anonymousId), name,
                Map.of(), traits, Map.of(), Map.of(), Optional.empty(), Optional.empty(), at, at, Optional.empty(), "test");
    }

    private void deliver(Event e) {
        LoggedEvent logged = new LoggedEvent(0, delivered.size(), e);
        delivered.add(logged);
        engine.onBatch(0, List.of(logged));
    }

    private Profile profileOf(Identity identity) {
        return store.get(store.resolve(identity).orElseThrow(() -> new AssertionError("no profile for " + identity))).orElseThrow();
    }

    /** Known user u1; anonymous visitor a1 browses, logs in as u1 (merge), browses on as a1, then orders as u1. */
    private MergeRecord anonymousVisitorMergedIntoKnownUser() {
        deliver(event(EventType.IDENTIFY, "u1", null, "", Map.of("email", "ann@example.com", "plan", "gold"), 0));
        deliver(event(EventType.TRACK, null, "a1", "Product Viewed", Map.of(), 1));
        deliver(event(EventType.TRACK, null, "a1", "Added To Cart", Map.of(), 2));
        deliver(event(EventType.IDENTIFY, "u1", "a1", "", Map.of(), 3));
        deliver(event(EventType.TRACK, null, "a1", "Checkout Started", Map.of(), 4));
        deliver(event(EventType.TRACK, "u1", null, "Order Completed", Map.of(), 5));
        List<MergeRecord> merges = store.merges(profileOf(Identity.userId("u1")).id());
        assertThat(merges).hasSize(1);
        assertThat(store.count()).isEqualTo(1);
        return merges.getFirst();
    }

    @Test
    void reversalGivesTheAbsorbedProfileBackWithTheEventsThatArrivedUnderItsIdentifiers() {
        MergeRecord merge = anonymousVisitorMergedIntoKnownUser();

        MergeReversal.Outcome outcome = engine.reverseMerge(merge.into(), merge.id());

        assertThat(outcome).isInstanceOf(MergeReversal.Outcome.Reversed.class);
        assertThat(store.count()).isEqualTo(2);
        Profile visitor = profileOf(Identity.anonymousId("a1"));
        Profile known = profileOf(Identity.userId("u1"));
        assertThat(visitor.id()).isEqualTo(merge.from());
        assertThat(known.id()).isEqualTo(merge.into());
        assertThat(visitor.events()).containsOnlyKeys("Product Viewed", "Added To Cart", "Checkout Started");
        assertThat(known.events()).containsOnlyKeys("identify", "Order Completed");
        assertThat(known.events().get("identify").count()).isEqualTo(2);
        assertThat(known.traitValues()).containsEntry("email", "ann@example.com");
        assertThat(visitor.traitValues()).isEmpty();
        assertThat(store.resolve(Identity.email("ann@example.com"))).contains(known.id());
        assertThat(store.history(visitor.id())).extracting(Event::name).containsExactly("Product Viewed", "Added To Cart", "Checkout Started");
        assertThat(store.separations()).singleElement().satisfies(s -> assertThat(s.mergeId()).isEqualTo(merge.id()));
    }

    @Test
    void laterEventsNamingBothIdentifiersDoNotMergeThemAgain() {
        MergeRecord merge = anonymousVisitorMergedIntoKnownUser();
        engine.reverseMerge(merge.from(), merge.id());

        deliver(event(EventType.IDENTIFY, "u1", "a1", "", Map.of(), 10));
        deliver(event(EventType.TRACK, null, "a1", "Product Viewed", Map.of(), 11));
        engine = new ProfileEngine(store, clock); // a restart reads the separation from the store
        deliver(event(EventType.IDENTIFY, "u1", "a1", "", Map.of(), 12));

        assertThat(store.count()).isEqualTo(2);
        assertThat(profileOf(Identity.anonymousId("a1")).events().get("Product Viewed").count()).isEqualTo(2);
        assertThat(store.merges(merge.into())).containsExactly(merge);
    }

    @Test
    void aRebuildFromTheLogGivesTheSameProfilesAsTheReversal() {
        MergeRecord merge = anonymousVisitorMergedIntoKnownUser();
        engine.reverseMerge(merge.into(), merge.id());
        deliver(event(EventType.TRACK, null, "a1", "Product Viewed", Map.of(), 20));
        Profile visitor = store.get(merge.from()).orElseThrow();
        Profile known = store.get(merge.into()).orElseThrow();

        store.clear();
        engine = new ProfileEngine(store, clock);
        engine.onBatch(0, delivered);

        assertThat(store.get(merge.from())).contains(visitor);
        assertThat(store.get(merge.into())).contains(known);
        assertThat(store.count()).isEqualTo(2);
    }

    @Test
    void listenersHearTheSurvivorReloadAndTheRestoredProfileAsNew() {
        MergeRecord merge = anonymousVisitorMergedIntoKnownUser();
        List<ProfileChange> heard = new ArrayList<>();
        engine.addListener(heard::add);

        engine.reverseMerge(merge.into(), merge.id());

        assertThat(heard).hasSize(2);
        assertThat(heard.get(0).after().id()).isEqualTo(merge.into());
        assertThat(heard.get(0).mergedAway()).containsExactly(merge.from());
        assertThat(heard.get(1).after().id()).isEqualTo(merge.from());
        assertThat(heard.get(1).before()).isEmpty();
    }

    @Test
    void unknownAndAlreadyReversedMergesAreRefusedAndChangeNothing() {
        MergeRecord merge = anonymousVisitorMergedIntoKnownUser();

        assertThat(engine.reverseMerge(merge.into(), "m_nope")).isInstanceOfSatisfying(MergeReversal.Outcome.Refused.class,
                r -> assertThat(r.code()).isEqualTo("not_found"));
        assertThat(store.count()).isEqualTo(1);

        engine.reverseMerge(merge.into(), merge.id());
        assertThat(engine.reverseMerge(merge.into(), merge.id())).isInstanceOfSatisfying(MergeReversal.Outcome.Refused.class,
                r -> assertThat(r.message()).contains("already reversed"));
        assertThat(store.count()).isEqualTo(2);
        assertThat(store.separations()).hasSize(1);
    }

    @Test
    void aMergeWhoseSurvivorWasMergedAwayLaterIsReversedAfterThatLaterMerge() {
        MergeRecord first = anonymousVisitorMergedIntoKnownUser();
        deliver(event(EventType.IDENTIFY, null, "z9", "", Map.of("email", "zed@example.com"), 6));
        deliver(event(EventType.IDENTIFY, null, "a1", "", Map.of("email", "zed@example.com"), 7));
        String last = store.resolve(Identity.anonymousId("z9")).orElseThrow();
        MergeRecord later = store.merges(last).stream().filter(m -> m.from().equals(first.into())).findFirst().orElseThrow();

        assertThat(engine.reverseMerge(first.from(), first.id())).isInstanceOfSatisfying(MergeReversal.Outcome.Refused.class,
                r -> assertThat(r.message()).contains("no longer exists").contains(later.id()));

        assertThat(engine.reverseMerge(last, later.id())).isInstanceOf(MergeReversal.Outcome.Reversed.class);
        assertThat(engine.reverseMerge(first.from(), first.id())).isInstanceOf(MergeReversal.Outcome.Reversed.class);
        assertThat(store.count()).isEqualTo(3);
        assertThat(profileOf(Identity.anonymousId("a1")).id()).isEqualTo(first.from());
        assertThat(profileOf(Identity.userId("u1")).id()).isEqualTo(first.into());
        assertThat(profileOf(Identity.anonymousId("z9")).id()).isEqualTo(last);
        assertThat(store.history(first.from())).extracting(Event::name).containsExactly("Product Viewed", "Added To Cart", "Checkout Started");
        assertThat(store.history(last)).hasSize(2);
        assertThat(store.history(first.into())).extracting(Event::name).containsExactly("", "", "Order Completed");
    }
}
