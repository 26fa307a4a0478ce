package io.tessera.event;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Optional;

/**
 * Parses the instants the codecs store, which {@link Instant#toString} wrote
 * ({@code 2026-11-29T17:40:10.123Z}: a four-digit year, UTC, 0, 3, 6 or 9 fraction digits),
 * without {@code DateTimeFormatter}: {@link Instant#parse} was ~1/8 of a backfill's CPU over
 * SQLite, one trait time a profile (SegmentBench JFR, docs/BENCHMARKS.md "Segment backfill,
 * session 6"). Any other text goes to {@link Instant#parse}, so results and errors are the same.
 */
public final class InstantText {
    private InstantText() {}

    public static Instant parse(String s) {
        return utc(s).orElseGet(() -> Instant.parse(s));
    }

    /**
     * {@code s} read without {@code DateTimeFormatter} if it has exactly the form
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} and is a valid time; empty for any other text (which the
     * caller reads its own way). Also the tracking API's fast path ({@code ingest.Timestamps}):
     * nearly every timestamp clients send has this form.
     */
    public static Optional<Instant> utc(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return Optional.empty();
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21; // between the '.' and the 'Z'
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return Optional.empty();
            }
            nanos = digits(s, 20, n - 1);
            for (int i = fraction; i < 9 && nanos >= 0; i++) {
                nanos *= 10;
            }
        } else if (s.charAt(19) != 'Z') {
            return Optional.empty();
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || nanos < 0 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return Optional.empty();
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Optional.of(Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos));
    }

    /** The decimal value of {@code s[from, to)}, or -1 if a character is not a digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
