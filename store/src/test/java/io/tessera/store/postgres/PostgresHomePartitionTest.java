package io.tessera.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.Identity;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileEngine;
import io.tessera.profile.ProfileStore;
import io.tessera.testkit.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code profiles.home_partition}: a profile is filed under the partition whose batch wrote it, so
 * {@code PartitionHandover} pages one partition's profiles from an index instead of every id.
 */
class PostgresHomePartitionTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @AfterEach
    void dropSchema() {
        db.close();
    }

    private static List<LoggedEvent> batch(int partition, long offset, String... users) {
        return java.util.stream.IntStream.range(0, users.length)
                .mapToObj(i -> new LoggedEvent(partition, offset + i,
                        Event.track("m" + partition + "-" + (offset + i), users[i], "Viewed", Map.of(), T0)))
                .toList();
    }

    @Test
    void aPartitionsProfilesArePagedFromTheirHomePartition() {
        PostgresProfileStore store = new PostgresProfileStore(db.get());
        ProfileEngine engine = new ProfileEngine(store, new MutableClock(T0));
        engine.onBatch(0, batch(0, 0, "a", "b", "c"));
        engine.onBatch(1, batch(1, 0, "d", "e"));
        String a = store.resolve(Identity.userId("a")).orElseThrow();
        String d = store.resolve(Identity.userId("d")).orElseThrow();

        assertThat(pageAll(store, 0)).containsExactlyInAnyOrderElementsOf(idsOf(store, "a", "b", "c"));
        assertThat(pageAll(store, 1)).containsExactlyInAnyOrderElementsOf(idsOf(store, "d", "e"));
        assertThat(pageAll(store, 2)).isEmpty();

        // a commit of no single partition (an admin's reversal) keeps the partition it had
        Profile stored = store.get(a).orElseThrow();
        store.commit(new ProfileStore.ProfileCommit(List.of(stored), List.of(), Map.of(), List.of(), List.of(), Map.of(), Map.of()));
        assertThat(pageAll(store, 0)).contains(a).doesNotContain(d);
    }

    @Test
    void profilesWithNoRecordedPartitionAreIncludedForTheCallerToCheck() {
        PostgresProfileStore store = new PostgresProfileStore(db.get());
        ProfileEngine engine = new ProfileEngine(store, new MutableClock(T0));
        engine.onBatch(0, batch(0, 0, "a"));
        String a = store.resolve(Identity.userId("a")).orElseThrow();
        db.get().write(c -> {
            try (var s = c.createStatement()) {
                s.executeUpdate("UPDATE profiles SET home_partition = NULL"); // as written before V49
            }
            return null;
        });
        assertThat(pageAll(store, 3)).containsExactly(a);
    }

    /** Pages of 2, to cross page boundaries. */
    private static List<String> pageAll(ProfileStore store, int partition) {
        List<String> out = new java.util.ArrayList<>();
        String cursor = "";
        List<String> page;
        while (!(page = store.idsInPartition(partition, cursor, 2)).isEmpty()) {
            out.addAll(page);
            cursor = page.getLast();
        }
        return out;
    }

    private static List<String> idsOf(ProfileStore store, String... users) {
        return java.util.Arrays.stream(users).map(u -> store.resolve(Identity.userId(u)).orElseThrow()).toList();
    }
}
