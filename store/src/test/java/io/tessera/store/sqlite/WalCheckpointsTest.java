package io.tessera.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.segment.MembershipChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * A writer that never pauses still lets the WAL start over: once it holds the reset size, a
     * checkpoint holding the writes back completes, and the WAL file stops growing (without it, it
     * grew by ~150 MB a second here until the 512 MB truncation; with it, it levels off at ~20 MB).
     */
    @Test
    void theWalStartsOverUnderAWriterThatNeverPauses(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("tessera.db");
        WalCheckpoints small = WalCheckpoints.acquire(db, SegmentSqlite.BUSY_TIMEOUT, 64 << 10);
        try (SqliteMembershipStore store = new SqliteMembershipStore(db, java.time.Duration.ZERO)) {
            Path wal = dir.resolve("tessera.db-wal");
            long biggest = 0;
            long written = 0;
            long until = System.nanoTime() + 3_000_000_000L;
            for (int batch = 0; System.nanoTime() < until; batch++) {
                List<MembershipChange> changes = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    changes.add(new MembershipChange("s" + i % 7, 1, "p" + (batch * 200 + i), true, Instant.EPOCH, "event:" + batch));
                }
                store.apply(changes, Map.of(0, (long) batch));
                written += 200;
                biggest = Math.max(biggest, Files.size(wal));
            }
            assertThat(written).as("rows written").isGreaterThan(20_000);
            assertThat(biggest).as("largest WAL file, bytes").isLessThan(64L << 20);
            assertThat(store.walResets().count()).as("resets counted").isPositive();
        } finally {
            small.close();
        }
    }
}
