package io.tessera.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.segment.MembershipChange;
import io.tessera.segment.MembershipStore;
import io.tessera.testkit.MembershipStoreContract;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMembershipStoreTest extends MembershipStoreContract {
    private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    Path dir;

    @Override
    protected MembershipStore open() {
        return new SqliteMembershipStore(dir.resolve("tessera.db"));
    }

    @Test
    void changesOnlyInTheLogAtACrashAreMembersAgainAfterOpening() {
        Path db = dir.resolve("crash.db");
        SqliteMembershipStore before = new SqliteMembershipStore(db);
        before.apply(List.of(
                new MembershipChange("vip", 1, "p_1", true, T, "event:a"),
                new MembershipChange("vip", 1, "p_2", true, T, "event:b"),
                new MembershipChange("churned", 1, "p_1", true, T, "event:c"),
                new MembershipChange("vip", 1, "p_2", false, T.plusSeconds(5), "timer:x")), Map.of(0, 7L));
        // Killed before the members table was written: a second store opens the same file.
        try (SqliteMembershipStore after = new SqliteMembershipStore(db)) {
            assertThat(after.memberships("p_1")).isEqualTo(Map.of("vip", T, "churned", T));
            assertThat(after.memberships("p_2")).isEmpty();
            assertThat(after.count("vip")).isEqualTo(1);
            assertThat(after.members("vip", "", 10)).extracting(MembershipStore.Member::profileId).containsExactly("p_1");
            assertThat(after.appliedThrough()).isEqualTo(Map.of(0, 7L));
        }
        before.close();
    }

    /**
     * The sweep writes settled profiles' net changes a slice at a time while others stay in
     * memory; whatever point a crash comes at, a store opened on the file (the log replayed from
     * the watermark) has every profile's memberships, and so does the live store's read.
     */
    @Test
    void partlySweptNetChangesAreAllThereAfterACrash() throws InterruptedException {
        Path db = dir.resolve("sweep.db");
        java.util.Random random = new java.util.Random(11);
        SqliteMembershipStore store = new SqliteMembershipStore(db, java.time.Duration.ofMillis(100));
        Map<String, Map<String, Instant>> expected = new java.util.HashMap<>();
        for (int batch = 0; batch < 12; batch++) {
            List<MembershipChange> changes = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String profile = "p_" + random.nextInt(150);
                String segment = "s" + random.nextInt(3);
                boolean entered = random.nextBoolean();
                Instant at = T.plusSeconds(batch * 100L + i);
                changes.add(new MembershipChange(segment, 1, profile, entered, at, "event:" + batch + "-" + i));
                Map<String, Instant> m = expected.computeIfAbsent(profile, k -> new java.util.HashMap<>());
                if (entered) {
                    m.put(segment, at);
                } else {
                    m.remove(segment);
                }
            }
            store.apply(changes, Map.of(0, (long) batch));
            // each commit after the first runs a sweep slice (50 ms apart) that writes the profiles
            // unchanged for 100 ms and keeps the last batch's: the watermark must stay before them
            Thread.sleep(60);
        }
        try (SqliteMembershipStore reopened = new SqliteMembershipStore(db)) {
            for (var e : expected.entrySet()) {
                assertThat(reopened.memberships(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
                assertThat(store.memberships(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
        store.close();
    }
}
