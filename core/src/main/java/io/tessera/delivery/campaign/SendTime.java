package io.tessera.delivery.campaign;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a message to one recipient may go out: the campaign's per-recipient local send time and
 * quiet hours, evaluated in the recipient's time zone (UTC when unknown or invalid).
 */
public final class SendTime {

    private SendTime() {
    }

    /** The earliest instant at or after {@code due} that honours the local send time and quiet hours. */
    public static Instant earliest(Campaign campaign, Optional<String> timeZone, Instant due) {
        ZoneId zone = zoneOf(timeZone);
        ZonedDateTime t = due.atZone(zone);
        if (campaign.localSendTime().isPresent()) {
            LocalTime at = campaign.localSendTime().get();
            ZonedDateTime candidate = t.with(at);
            t = candidate.isBefore(t) ? candidate.plusDays(1) : candidate;
        }
        if (campaign.quietHours().isPresent() && isQuiet(campaign.quietHours().get(), t.toLocalTime())) {
            Campaign.QuietHours q = campaign.quietHours().get();
            ZonedDateTime end = t.with(q.end());
            t = end.isBefore(t) ? end.plusDays(1) : end;
        }
        return t.toInstant();
    }

    static boolean isQuiet(Campaign.QuietHours q, LocalTime time) {
        if (q.start().equals(q.end())) {
            return false;
        }
        if (q.start().isBefore(q.end())) {
            return !time.isBefore(q.start()) && time.isBefore(q.end());
        }
        return !time.isBefore(q.start()) || time.isBefore(q.end());
    }

    static ZoneId zoneOf(Optional<String> timeZone) {
        if (timeZone.isEmpty()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timeZone.get());
        } catch (java.time.DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /** The local date-time of an instant for a recipient; for tests and explanations. */
    public static LocalDateTime local(Instant at, Optional<String> timeZone) {
        return LocalDateTime.ofInstant(at, zoneOf(timeZone));
    }
}
