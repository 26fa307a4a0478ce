package io.tessera.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One checkpoint thread per database file, however many segment stores write it. */
class WalCheckpointsTest {
    private static long checkpointThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("segment-checkpoints")).count();
    }

    @Test
    void theMembershipAndTimerStoresOfOneFileShareOneThreadUntilTheLastCloses(@TempDir Path dir) {
        long before = checkpointThreads();
        Path db = dir.resolve("tessera.db");
        SqliteMembershipStore memberships = new SqliteMembershipStore(db);
        SqliteWindowTimerStore timers = new SqliteWindowTimerStore(dir.resolve(".").resolve("tessera.db"));
        assertThat(checkpointThreads()).isEqualTo(before + 1);

        SqliteMembershipStore other = new SqliteMembershipStore(dir.resolve("other.db"));
        assertThat(checkpointThreads()).isEqualTo(before + 2);
        other.close();

        memberships.close();
        assertThat(checkpointThreads()).as("the timer store still writes the file").isEqualTo(before + 1);
        timers.close();
        assertThat(checkpointThreads()).isEqualTo(before);
    }
}
