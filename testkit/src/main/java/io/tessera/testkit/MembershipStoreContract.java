package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.segment.MembershipChange;
import io.tessera.segment.MembershipStore;
import io.tessera.segment.MembershipStore.Member;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MembershipStore} adapter must do, on its real technology: current members with
 * their entry time, counted and paged in profile-id order; the log of every enter and exit in the
 * order applied; a batch applied in order; log positions written with the changes; removal of a
 * segment; state that survives reopening.
 */
public abstract class MembershipStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final List<MembershipStore> opened = Collections.synchronizedList(new ArrayList<>());

    /** A store on this test's storage; opening again must see the same state. */
    protected abstract MembershipStore open();

    protected final MembershipStore store() {
        MembershipStore s = open();
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(MembershipStore::close);
    }

    private static MembershipChange enter(String segment, String profile, Instant at) {
        return new MembershipChange(segment, 1, profile, true, at, "event:m-" + profile);
    }

    private static MembershipChange exit(String segment, String profile, Instant at) {
        return new MembershipChange(segment, 1, profile, false, at, "timer:" + at);
    }

    @Test
    void enteredProfilesAreMembersSinceTheirEntryCountedAndPagedInIdOrder() {
        MembershipStore store = store();
        store.apply(List.of(enter("vip", "p_3", T0.plusSeconds(3)), enter("vip", "p_1", T0.plusSeconds(1)),
                enter("vip", "p_2", T0.plusSeconds(2)), enter("churned", "p_1", T0)));

        assertThat(store.memberships("p_1")).isEqualTo(Map.of("vip", T0.plusSeconds(1), "churned", T0));
        assertThat(store.memberships("p_9")).isEmpty();
        assertThat(store.count("vip")).isEqualTo(3);
        assertThat(store.count("nobody")).isZero();
        assertThat(store.members("vip", "", 2)).containsExactly(new Member("p_1", T0.plusSeconds(1)), new Member("p_2", T0.plusSeconds(2)));
        assertThat(store.members("vip", "p_2", 2)).containsExactly(new Member("p_3", T0.plusSeconds(3)));
        assertThat(store.members("vip", "p_3", 2)).isEmpty();
    }

    @Test
    void aPageReadOfSomeSegmentsGivesOnlyTheirCurrentMemberships() {
        MembershipStore store = store();
        store.apply(List.of(enter("vip", "p_1", T0), enter("churned", "p_1", T0), enter("new", "p_1", T0),
                enter("vip", "p_2", T0.plusSeconds(2)), enter("churned", "p_3", T0)));
        store.apply(List.of(exit("new", "p_1", T0.plusSeconds(5))));

        Map<String, Map<String, Instant>> page = store.memberships(List.of("p_1", "p_2", "p_3", "p_9"), java.util.Set.of("vip", "new"));

        assertThat(page).isEqualTo(Map.of("p_1", Map.of("vip", T0), "p_2", Map.of("vip", T0.plusSeconds(2))));
        assertThat(store.memberships(List.of("p_1"), java.util.Set.of())).isEmpty();
        assertThat(store.memberships(List.of("p_3"), java.util.Set.of("brand-new"))).isEmpty();
    }

    @Test
    void exitEndsMembershipAndTheLogKeepsEveryChangeInOrder() {
        MembershipStore store = store();
        MembershipChange in = enter("vip", "p_1", T0);
        MembershipChange out = exit("vip", "p_1", T0.plusSeconds(60));
        store.apply(List.of(in));
        store.apply(List.of(out));

        assertThat(store.memberships("p_1")).isEmpty();
        assertThat(store.count("vip")).isZero();
        assertThat(store.changes("p_1")).containsExactly(in, out);
        assertThat(store.changes("p_2")).isEmpty();
    }

    @Test
    void aBatchIsAppliedInOrderSoTheLastChangeForAProfileWins() {
        MembershipStore store = store();
        List<MembershipChange> batch = List.of(enter("vip", "p_1", T0), exit("vip", "p_1", T0.plusSeconds(1)),
                enter("vip", "p_1", T0.plusSeconds(2)), enter("vip", "p_2", T0), exit("vip", "p_2", T0.plusSeconds(5)));

        store.apply(batch);

        assertThat(store.memberships("p_1")).isEqualTo(Map.of("vip", T0.plusSeconds(2)));
        assertThat(store.memberships("p_2")).isEmpty();
        assertThat(store.changes("p_1")).containsExactlyElementsOf(batch.subList(0, 3));
        assertThat(store.count("vip")).isEqualTo(1);
    }

    @Test
    void causesAndIdsAreStoredVerbatimWhateverCharactersTheyHold() {
        MembershipStore store = store();
        String odd = "p \"q\" \\ \u00e9\u4e2d\n\t";
        MembershipChange c = new MembershipChange("vip", 2, odd, true, T0, "event:" + odd);
        store.apply(List.of(c));

        assertThat(store.changes(odd)).containsExactly(c);
        assertThat(store.memberships(odd)).isEqualTo(Map.of("vip", T0));
    }

    @Test
    void removingASegmentDropsItsMembersAndItsLogOnly() {
        MembershipStore store = store();
        store.apply(List.of(enter("vip", "p_1", T0), enter("churned", "p_1", T0)));

        store.removeSegment("vip");

        assertThat(store.memberships("p_1")).containsOnlyKeys("churned");
        assertThat(store.count("vip")).isZero();
        assertThat(store.changes("p_1")).extracting(MembershipChange::segment).containsExactly("churned");
    }

    @Test
    void positionsPerPartitionAreRecordedWithTheChanges() {
        MembershipStore store = store();
        assertThat(store.appliedThrough()).isEmpty();

        store.apply(List.of(enter("vip", "p_1", T0)), Map.of(0, 10L, 1, 4L));
        store.apply(List.of(), Map.of(0, 12L));

        assertThat(store.appliedThrough()).isEqualTo(Map.of(0, 12L, 1, 4L));
        assertThat(store.memberships("p_1")).containsOnlyKeys("vip");
    }

    @Test
    void stateSurvivesCloseAndReopen() {
        MembershipStore first = open();
        first.apply(List.of(enter("vip", "p_1", T0)));
        first.close();

        MembershipStore reopened = store();
        assertThat(reopened.memberships("p_1")).isEqualTo(Map.of("vip", T0));
        assertThat(reopened.changes("p_1")).hasSize(1);
    }
}
