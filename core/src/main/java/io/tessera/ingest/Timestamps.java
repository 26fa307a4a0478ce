package io.tessera.ingest;

import io.tessera.event.InstantText;
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

    static Optional<Instant> parse(String text) {
        Optional<Instant> quick = InstantText.utc(text); // the form nearly every client sends
        if (quick.isPresent()) {
            return quick;
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
