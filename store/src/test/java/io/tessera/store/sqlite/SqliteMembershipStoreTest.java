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
}
