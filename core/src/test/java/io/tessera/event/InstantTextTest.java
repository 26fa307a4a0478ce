package io.tessera.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantTextTest {

    @Test
    void readsWhatInstantToStringWritesAsInstantParseDoes() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            long seconds = r.nextLong(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(), Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            int nanos = switch (r.nextInt(4)) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1000;
                default -> r.nextInt(1_000_000_000);
            };
            String text = Instant.ofEpochSecond(seconds, nanos).toString();
            if (!InstantText.parse(text).equals(Instant.parse(text))) {
                assertThat(InstantText.parse(text)).as("seed " + seed + ": " + text).isEqualTo(Instant.parse(text));
            }
        }
    }

    @Test
    void anyOtherTextReadsOrFailsAsWithInstantParse() {
        for (String text : new String[] {"2026-11-29T17:40:10.5Z", "2026-11-29T17:40:10.12345Z", "+10000-01-01T00:00:00Z",
                "2026-11-29T17:40:10+01:00", "2024-02-29T23:59:59Z", "2026-11-29T23:59:60Z", "2026-11-29T24:00:00Z",
                "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-29T17:40:1xZ", "2026-11-29T17:40:10.Z",
                "2026-11-29 17:40:10Z", "2026-11-29T17:40:10.1234567890Z"}) {
            Object expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException e) {
                expected = DateTimeParseException.class;
            }
            Object actual;
            try {
                actual = InstantText.parse(text);
            } catch (DateTimeParseException e) {
                actual = DateTimeParseException.class;
            }
            assertThat(actual).as(text).isEqualTo(expected);
        }
    }

    @Test
    void theUtcFormAloneIsReadWithoutAFallback() {
        assertThat(InstantText.utc("2026-11-28T10:00:00.5Z")).contains(Instant.parse("2026-11-28T10:00:00.500Z"));
        assertThat(InstantText.utc("2026-11-28T10:00:00+02:00")).isEmpty();
        assertThat(InstantText.utc("2026-02-30T10:00:00Z")).isEmpty();
        assertThat(InstantText.utc("2026-11-29T17:40:1xZ")).isEmpty();
    }
}
