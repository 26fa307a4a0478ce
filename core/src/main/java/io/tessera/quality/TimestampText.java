package io.tessera.quality;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Timestamps inside properties and traits to UTC ISO-8601 ({@code 2026-11-02T08:00:00Z}): offsets
 * are honoured, no offset means UTC, impossible dates (February 30th, hour 25) are rejected — the
 * ISO formatters resolve strictly. {@link #looksLikeTimestamp} picks the strings the default rule
 * applies to. Stateless.
 */
public final class TimestampText {
    private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}.*");

    private TimestampText() {}

    public static boolean looksLikeTimestamp(String s) {
        return s.length() >= 16 && s.length() <= 40 && DATE_TIME.matcher(s).matches();
    }

    public static FieldOutcome check(String raw) {
        String s = raw.length() > 10 && raw.charAt(10) == ' ' ? raw.substring(0, 10) + "T" + raw.substring(11) : raw;
        try {
            return FieldOutcome.Valid.of(OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toString());
        } catch (DateTimeParseException withOffset) {
            try {
                return FieldOutcome.Valid.of(LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC).toString());
            } catch (DateTimeParseException local) {
                try {
                    Instant day = LocalDate.parse(s, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay().toInstant(ZoneOffset.UTC);
                    return FieldOutcome.Valid.of(day.toString());
                } catch (DateTimeParseException date) {
                    return new FieldOutcome.Invalid("invalid_timestamp", "'" + raw + "' is not a possible ISO-8601 date-time: "
                            + withOffset.getMessage().replaceFirst("^Text '.*' could not be parsed: ?", ""));
                }
            }
        }
    }
}
