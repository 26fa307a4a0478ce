package io.tessera.ingest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads tracking-API timestamps. Segment accepts ISO-8601 with or without an offset (no offset
 * means UTC) and plain dates; clients send {@code 2012-12-02T00:30:08.276Z} almost always, so
 * that form takes the fast path.
 */
final class Timestamps {
    private Timestamps() {}

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} without {@code DateTimeFormatter}: that form is nearly
     * every timestamp clients send, and the formatter's resolution was a visible share of parse
     * time in the ingestion profile (docs/BENCHMARKS.md). Returns null for anything else, which
     * then takes the general path.
     */
    static Instant utcFastPath(String t) {
        int n = t.length();
        if (n < 20 || n > 30 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int nanos = 0;
        if (n > 20) {
            if (t.charAt(19) != '.' || n - 21 > 9 || n - 21 < 1) {
                return null;
            }
            int frac = digits(t, 20, n - 1);
            if (frac < 0) {
                return null;
            }
            nanos = frac;
            for (int i = n - 21; i < 9; i++) {
                nanos *= 10;
            }
        } else if (t.charAt(19) != 'Z') {
            return null;
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal value of t[from, to), or -1 if any char is not a digit. */
    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static Optional<Instant> parse(String text) {
        Instant quick = utcFastPath(text);
        if (quick != null) {
            return Optional.of(quick);
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException fast) {
            try {
                return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
            } catch (DateTimeParseException noOffset) {
                try {
                    return Optional.of(LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC));
                } catch (DateTimeParseException noTime) {
                    try {
                        return Optional.of(LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC));
                    } catch (DateTimeParseException e) {
                        return Optional.empty();
                    }
                }
            }
        }
    }
}
