package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import io.tessera.profile.EventAggregate;
import io.tessera.profile.Identity;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore;
import io.tessera.profile.ProfileStore.HistoryEntry;
import io.tessera.profile.ProfileStore.MergeRecord;
import io.tessera.profile.ProfileStore.ProfileCommit;
import io.tessera.profile.ProfileStore.ProfileSplit;
import io.tessera.profile.ProfileStore.Separation;
import io.tessera.profile.TraitValue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ProfileStore} adapter must do, run against the real technology. An adapter
 * test extends this and says how to open a store kept under a directory (or schema); opening it
 * again must give the same state.
 */
public abstract class ProfileStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    protected Path dir;

    private final List<ProfileStore> opened = Collections.synchronizedList(new ArrayList<>());

    protected abstract ProfileStore open(Path dir);

    protected final ProfileStore store() {
        ProfileStore s = open(dir);
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(ProfileStore::close);
    }

    private static Event track(String id, String user, String name, Instant at) {
        return Event.track(id, user, name, Map.of("revenue", 12.5, "sku", "sku-1"), at);
    }

    private static Profile profile(String id, String userId, long lastOffset, Event... timeline) {
        return new Profile(id,
                Map.of(IdentityKind.USER_ID, List.of(userId), IdentityKind.EMAIL, List.of(userId + "@example.com")),
                Map.of("firstName", new TraitValue("Ann", T0), "age", new TraitValue(41, T0),
                        "tags", new TraitValue(List.of("a", "b"), T0.plusSeconds(5))),
                Map.of("Order Completed", new EventAggregate(2, T0, T0.plusSeconds(60), Map.of("revenue", 25.0))),
                List.of(timeline), lastOffset);
    }

    private static ProfileCommit commit(List<Profile> upserts, List<String> deletes, Map<Identity, String> links,
            List<HistoryEntry> history, List<MergeRecord> merges, Map<Integer, Long> offsets) {
        return new ProfileCommit(upserts, deletes, links, history, merges, offsets);
    }

    @Test
    void committedProfileIsReadBackEqual() {
        ProfileStore store = store();
        Event e = track("m1", "u1", "Order Completed", T0);
        Profile p = profile("p_1", "u1", 0, e);

        store.commit(commit(List.of(p), List.of(), Map.of(Identity.userId("u1"), "p_1"),
                List.of(new HistoryEntry("p_1", 0, e)), List.of(), Map.of(0, 0L)));

        assertThat(store.get("p_1")).contains(p);
        assertThat(store.get("p_unknown")).isEmpty();
        assertThat(store.resolve(Identity.userId("u1"))).contains("p_1");
        assertThat(store.resolve(Identity.userId("u2"))).isEmpty();
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void resumeOffsetIsKeptPerPartitionAndStartsAtMinusOne() {
        ProfileStore store = store();
        assertThat(store.resumeAfter(0)).isEqualTo(-1);

        store.commit(commit(List.of(), List.of(), Map.of(), List.of(), List.of(), Map.of(0, 41L, 3, 7L)));
        store.commit(commit(List.of(), List.of(), Map.of(), List.of(), List.of(), Map.of(0, 42L)));

        assertThat(store.resumeAfter(0)).isEqualTo(42);
        assertThat(store.resumeAfter(3)).isEqualTo(7);
        assertThat(store.resumeAfter(1)).isEqualTo(-1);
    }

    @Test
    void commitThatStartedFromTheStoredOffsetMovesIt() {
        ProfileStore store = store();
        store.commit(new ProfileCommit(List.of(), List.of(), Map.of(), List.of(), List.of(), Map.of(0, 9L), Map.of(0, -1L)));
        store.commit(new ProfileCommit(List.of(), List.of(), Map.of(), List.of(), List.of(), Map.of(0, 19L), Map.of(0, 9L)));

        assertThat(store.resumeAfter(0)).isEqualTo(19);
    }

    @Test
    void lateBatchOfAFencedWriterIsRejectedWhole() {
        ProfileStore store = store();
        Event successors = track("m10", "u1", "Viewed", T0);
        Event zombies = track("m5", "u2", "Viewed", T0);
        store.commit(commit(List.of(), List.of(), Map.of(), List.of(), List.of(), Map.of(0, 4L)));
        // both writers resumed partition 0 from offset 4; the successor commits first
        store.commit(new ProfileCommit(List.of(profile("p_1", "u1", 10)), List.of(), Map.of(Identity.userId("u1"), "p_1"),
                List.of(new HistoryEntry("p_1", 10, successors)), List.of(), Map.of(0, 10L), Map.of(0, 4L)));

        ProfileCommit late = new ProfileCommit(List.of(profile("p_2", "u2", 5)), List.of(), Map.of(Identity.userId("u2"), "p_2"),
                List.of(new HistoryEntry("p_2", 5, zombies)), List.of(), Map.of(0, 5L), Map.of(0, 4L));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.commit(late))
                .isInstanceOfSatisfying(io.tessera.profile.FencedCommitException.class, f -> {
                    assertThat(f.partition()).isZero();
                    assertThat(f.expected()).isEqualTo(4);
                    assertThat(f.stored()).isEqualTo(10);
                });

        assertThat(store.resumeAfter(0)).isEqualTo(10);
        assertThat(store.get("p_2")).isEmpty();
        assertThat(store.history("p_2")).isEmpty();
        assertThat(store.resolve(Identity.userId("u2"))).isEmpty();
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void firstCommitOfAPartitionIsRejectedWhenAnotherWriterGotThereFirst() {
        ProfileStore store = store();
        store.commit(new ProfileCommit(List.of(), List.of(), Map.of(), List.of(), List.of(), Map.of(2, 7L), Map.of(2, -1L)));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.commit(
                new ProfileCommit(List.of(), List.of(), Map.of(), List.of(), List.of(), Map.of(2, 3L), Map.of(2, -1L))))
                .isInstanceOf(io.tessera.profile.FencedCommitException.class);
        assertThat(store.resumeAfter(2)).isEqualTo(7);
    }

    @Test
    void historyIsOrderedByEventTimeThenOffset() {
        ProfileStore store = store();
        Event late = track("m1", "u1", "A", T0.plusSeconds(30));
        Event early = track("m2", "u1", "B", T0);
        Event sameTime = track("m3", "u1", "C", T0.plusSeconds(30));
        store.commit(commit(List.of(profile("p_1", "u1", 3)), List.of(), Map.of(),
                List.of(new HistoryEntry("p_1", 1, late), new HistoryEntry("p_1", 2, early),
                        new HistoryEntry("p_1", 3, sameTime)), List.of(), Map.of(0, 3L)));

        assertThat(store.history("p_1")).containsExactly(early, late, sameTime);
        assertThat(store.history("p_2")).isEmpty();
    }

    @Test
    void mergeMovesHistoryAndLinksOfTheMergedAwayProfile() {
        ProfileStore store = store();
        Event anonEvent = track("m1", "x", "Viewed", T0);
        Event knownEvent = track("m2", "u1", "Bought", T0.plusSeconds(10));
        store.commit(commit(List.of(profile("p_anon", "x", 0), profile("p_known", "u1", 1)), List.of(),
                Map.of(Identity.anonymousId("a1"), "p_anon", Identity.userId("u1"), "p_known"),
                List.of(new HistoryEntry("p_anon", 0, anonEvent), new HistoryEntry("p_known", 1, knownEvent)),
                List.of(), Map.of(0, 1L)));

        MergeRecord merge = new MergeRecord("p_anon", "p_known", Identity.anonymousId("a1"), T0.plusSeconds(20), "m3");
        store.commit(commit(List.of(profile("p_known", "u1", 2)), List.of("p_anon"), Map.of(), List.of(),
                List.of(merge), Map.of(0, 2L)));

        assertThat(store.get("p_anon")).isEmpty();
        assertThat(store.resolve(Identity.anonymousId("a1"))).contains("p_known");
        assertThat(store.history("p_known")).containsExactly(anonEvent, knownEvent);
        assertThat(store.history("p_anon")).isEmpty();
        assertThat(store.merges("p_known")).containsExactly(merge);
        assertThat(store.merges("p_anon")).containsExactly(merge);
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void historyWrittenInTheSameCommitAsTheMergeFollowsIt() {
        ProfileStore store = store();
        Event anonEvent = track("m1", "x", "Viewed", T0);
        MergeRecord merge = new MergeRecord("p_anon", "p_known", Identity.anonymousId("a1"), T0, "m2");

        store.commit(commit(List.of(profile("p_known", "u1", 1)), List.of("p_anon"),
                Map.of(Identity.anonymousId("a1"), "p_anon"),
                List.of(new HistoryEntry("p_anon", 0, anonEvent)), List.of(merge), Map.of(0, 1L)));

        assertThat(store.history("p_known")).containsExactly(anonEvent);
        assertThat(store.resolve(Identity.anonymousId("a1"))).contains("p_known");
    }

    @Test
    void idsArePagedInIdOrder() {
        ProfileStore store = store();
        List<Profile> ps = new ArrayList<>();
        for (int i = 9; i >= 0; i--) {
            ps.add(profile("p_" + i, "u" + i, i));
        }
        store.commit(commit(ps, List.of(), Map.of(), List.of(), List.of(), Map.of()));

        assertThat(store.ids("", 4)).containsExactly("p_0", "p_1", "p_2", "p_3");
        assertThat(store.ids("p_3", 4)).containsExactly("p_4", "p_5", "p_6", "p_7");
        assertThat(store.ids("p_7", 4)).containsExactly("p_8", "p_9");
        assertThat(store.ids("p_9", 4)).isEmpty();
    }

    /** A store may return more (every id, when it records no partition), never fewer, and pages in id order. */
    @Test
    void idsInAPartitionCoverEveryProfileItsCommitsWroteInIdOrder() {
        ProfileStore store = store();
        store.commit(commit(List.of(profile("p_1", "u1", 0), profile("p_3", "u3", 1)), List.of(), Map.of(), List.of(), List.of(),
                Map.of(0, 1L)));
        store.commit(commit(List.of(profile("p_2", "u2", 0)), List.of(), Map.of(), List.of(), List.of(), Map.of(1, 0L)));

        List<String> partition0 = new ArrayList<>();
        String cursor = "";
        List<String> page;
        while (!(page = store.idsInPartition(0, cursor, 1)).isEmpty()) {
            partition0.addAll(page);
            cursor = page.getLast();
        }
        assertThat(partition0).contains("p_1", "p_3").isSorted();
        assertThat(store.idsInPartition(1, "", 10)).contains("p_2");
    }

    @Test
    void upsertReplacesTheProfile() {
        ProfileStore store = store();
        store.commit(commit(List.of(profile("p_1", "u1", 0)), List.of(), Map.of(), List.of(), List.of(), Map.of()));
        Event e = track("m9", "u1", "X", T0);
        Profile newer = profile("p_1", "u1", 5, e);

        store.commit(commit(List.of(newer), List.of(), Map.of(), List.of(new HistoryEntry("p_1", 5, e)), List.of(), Map.of()));

        assertThat(store.get("p_1")).contains(newer);
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void historiesOfAPageHoldTheNamedTrackEventsOfEachProfileInTheOrderAsked() {
        ProfileStore store = store();
        List<HistoryEntry> history = new ArrayList<>();
        for (int i = 0; i < Profile.TIMELINE_LIMIT + 5; i++) {
            // newest first, interleaved over two profiles, so order must come from event time
            history.add(new HistoryEntry("p_1", 3L * i, track("a" + i, "u1", i % 2 == 0 ? "Order Completed" : "Viewed", T0.minusSeconds(i))));
            history.add(new HistoryEntry("p_3", 3L * i + 1, track("c" + i, "u3", "Order Completed", T0.plusSeconds(i % 3))));
        }
        // a property holding a name, and a page view of the name: neither is a track event of it
        history.add(new HistoryEntry("p_1", 500, Event.track("x1", "u1", "Viewed", Map.of("what", "Order Completed"), T0)));
        history.add(new HistoryEntry("p_1", 501, new Event("x2", io.tessera.event.EventType.PAGE, java.util.Optional.of("u1"),
                java.util.Optional.empty(), "Order Completed", Map.of(), Map.of(), Map.of(), Map.of(), java.util.Optional.empty(),
                java.util.Optional.empty(), T0, T0, java.util.Optional.empty(), "api")));
        store.commit(commit(List.of(profile("p_1", "u1", 501), profile("p_2", "u2", -1), profile("p_3", "u3", 109)),
                List.of(), Map.of(), history, List.of(), Map.of(0, 501L)));

        List<ProfileStore.ProfileHistory> page = store.histories(List.of("p_3", "p_missing", "p_1", "p_2"), java.util.Set.of("Order Completed"));

        assertThat(page).extracting(h -> h.profile().id()).containsExactly("p_3", "p_1", "p_2");
        for (ProfileStore.ProfileHistory h : page) {
            Profile stored = store.get(h.profile().id()).orElseThrow();
            assertThat(h.profile()).isEqualTo(new Profile(stored.id(), stored.identities(), stored.traits(), stored.events(),
                    List.of(), stored.lastOffset()));
            assertThat(h.history()).isEqualTo(store.history(h.profile().id()).stream()
                    .filter(e -> e.type() == io.tessera.event.EventType.TRACK && e.name().equals("Order Completed")).toList());
        }
        assertThat(page.get(0).history()).hasSize(Profile.TIMELINE_LIMIT + 5);
        assertThat(page.get(1).history()).hasSize((Profile.TIMELINE_LIMIT + 6) / 2);
        assertThat(page.get(2).history()).isEmpty();
        assertThat(store.histories(List.of("p_1"), java.util.Set.of()).getFirst().history()).isEmpty();
        assertThat(store.histories(List.of(), java.util.Set.of("Viewed"))).isEmpty();
    }

    @Test
    void timelineIsTheLastEntriesOfTheHistoryByEventTime() {
        ProfileStore store = store();
        List<HistoryEntry> history = new java.util.ArrayList<>();
        for (int i = 0; i < Profile.TIMELINE_LIMIT + 10; i++) {
            // written newest first, to prove the order comes from event time, not from writing order
            history.add(new HistoryEntry("p_1", i, track("m" + i, "u1", "X", T0.minusSeconds(i))));
        }
        store.commit(commit(List.of(profile("p_1", "u1", 59)), List.of(), Map.of(), history, List.of(), Map.of()));

        List<Event> timeline = store.get("p_1").orElseThrow().timeline();

        assertThat(timeline).hasSize(Profile.TIMELINE_LIMIT);
        assertThat(timeline.get(0).messageId()).isEqualTo("m" + (Profile.TIMELINE_LIMIT - 1));
        assertThat(timeline.get(Profile.TIMELINE_LIMIT - 1).messageId()).isEqualTo("m0");
    }

    @Test
    void clearRemovesAllStateAndOffsets() {
        ProfileStore store = store();
        Event e = track("m1", "u1", "A", T0);
        store.commit(commit(List.of(profile("p_1", "u1", 0)), List.of(), Map.of(Identity.userId("u1"), "p_1"),
                List.of(new HistoryEntry("p_1", 0, e)),
                List.of(new MergeRecord("p_0", "p_1", Identity.userId("u1"), T0, "m1")), Map.of(0, 0L)));

        store.clear();

        assertThat(store.count()).isZero();
        assertThat(store.get("p_1")).isEmpty();
        assertThat(store.resolve(Identity.userId("u1"))).isEmpty();
        assertThat(store.history("p_1")).isEmpty();
        assertThat(store.merges("p_1")).isEmpty();
        assertThat(store.resumeAfter(0)).isEqualTo(-1);
    }

    @Test
    void historyEntriesCarryTheirOffsetsInOffsetOrder() {
        ProfileStore store = store();
        Event late = track("m1", "u1", "A", T0.plusSeconds(30));
        Event early = track("m2", "u1", "B", T0);
        store.commit(commit(List.of(profile("p_1", "u1", 8)), List.of(), Map.of(),
                List.of(new HistoryEntry("p_1", 5, late), new HistoryEntry("p_1", 8, early)), List.of(), Map.of(0, 8L)));

        assertThat(store.historyEntries("p_1")).containsExactly(new HistoryEntry("p_1", 5, late), new HistoryEntry("p_1", 8, early));
        assertThat(store.historyEntries("p_2")).isEmpty();
    }

    @Test
    void splitGivesEachSideItsHistoryAndLinksAndRecordsTheSeparation() {
        ProfileStore store = store();
        Event anonEvent = track("m1", "x", "Viewed", T0);
        Event knownEvent = track("m2", "u1", "Bought", T0.plusSeconds(10));
        store.commit(commit(List.of(profile("p_anon", "x", 0), profile("p_known", "u1", 1)), List.of(),
                Map.of(Identity.anonymousId("a1"), "p_anon", Identity.userId("u1"), "p_known"),
                List.of(new HistoryEntry("p_anon", 0, anonEvent), new HistoryEntry("p_known", 1, knownEvent)),
                List.of(), Map.of(0, 1L)));
        MergeRecord merge = new MergeRecord("p_anon", "p_known", Identity.anonymousId("a1"), T0.plusSeconds(20), "m3");
        store.commit(commit(List.of(profile("p_known", "u1", 2)), List.of("p_anon"), Map.of(), List.of(), List.of(merge), Map.of(0, 2L)));

        Separation separation = new Separation("p_anon", "p_known", merge.id(), T0.plusSeconds(60));
        store.split(new ProfileSplit(separation, List.of(profile("p_anon", "x", 0), profile("p_known", "u1", 1)),
                List.of(new HistoryEntry("p_anon", 0, anonEvent), new HistoryEntry("p_known", 1, knownEvent)),
                Map.of(Identity.anonymousId("a1"), "p_anon", Identity.userId("u1"), "p_known")));

        assertThat(store.get("p_anon")).isPresent();
        assertThat(store.count()).isEqualTo(2);
        assertThat(store.history("p_anon")).containsExactly(anonEvent);
        assertThat(store.history("p_known")).containsExactly(knownEvent);
        assertThat(store.resolve(Identity.anonymousId("a1"))).contains("p_anon");
        assertThat(store.separations()).containsExactly(separation);
        assertThat(store.merges("p_known")).containsExactly(merge);
        assertThat(store.resumeAfter(0)).isEqualTo(2);
    }

    @Test
    void separationsSurviveClearAndReopening() {
        Separation separation = new Separation("p_a", "p_b", "m_0123456789abcdef", T0);
        ProfileStore first = open(dir);
        first.split(new ProfileSplit(separation, List.of(), List.of(), Map.of()));
        first.clear();
        first.close();

        assertThat(store().separations()).containsExactly(separation);
    }

    @Test
    void stateSurvivesCloseAndReopen() {
        Event e = track("m1", "u1", "A", T0);
        Profile p = profile("p_1", "u1", 0, e);
        ProfileStore first = open(dir);
        first.commit(commit(List.of(p), List.of(), Map.of(Identity.email("u1@example.com"), "p_1"),
                List.of(new HistoryEntry("p_1", 0, e)), List.of(), Map.of(0, 0L)));
        first.close();

        ProfileStore reopened = store();
        assertThat(reopened.get("p_1")).contains(p);
        assertThat(reopened.resolve(Identity.email("u1@example.com"))).contains("p_1");
        assertThat(reopened.history("p_1")).containsExactly(e);
        assertThat(reopened.resumeAfter(0)).isZero();
    }
}
