package io.tessera.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void utcTimestampsReadAsInstantParseReadsThem() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(r.nextLong(0, 4_102_444_800L), r.nextInt(1_000_000_000));
            String text = at.toString(); // 0, 3, 6 or 9 fraction digits
            assertThat(Timestamps.parse(text)).as("seed " + seed + ": " + text).contains(Instant.parse(text));
        }
    }

    @Test
    void otherFormsTakeTheGeneralPath() {
        assertThat(Timestamps.parse("2026-11-28T10:00:00+02:00")).contains(Instant.parse("2026-11-28T08:00:00Z"));
        assertThat(Timestamps.parse("2026-11-28T10:00:00.5Z")).contains(Instant.parse("2026-11-28T10:00:00.500Z"));
        assertThat(Timestamps.parse("2026-11-28")).contains(Instant.parse("2026-11-28T00:00:00Z"));
        assertThat(Timestamps.parse("2026-02-30T10:00:00Z")).isEqualTo(Optional.empty());
        assertThat(Timestamps.parse("not a time")).isEmpty();
    }
}
