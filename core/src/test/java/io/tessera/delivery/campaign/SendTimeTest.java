package io.tessera.delivery.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SendTimeTest {

    static final Campaign BASE = Campaign.simple("c", "all", "t", "news@shop.example");

    @Test
    void localSendTimeIsTheNextNineOClockInTheRecipientsZone() {
        Campaign at9 = BASE.withTiming(Optional.of(LocalTime.of(9, 0)), Optional.empty(), Optional.empty());
        Instant due = Instant.parse("2026-11-02T06:00:00Z");
        assertThat(SendTime.earliest(at9, Optional.of("Europe/Berlin"), due)).isEqualTo(Instant.parse("2026-11-02T08:00:00Z"));
        assertThat(SendTime.earliest(at9, Optional.of("Asia/Tokyo"), due)).isEqualTo(Instant.parse("2026-11-03T00:00:00Z"));
        assertThat(SendTime.earliest(at9, Optional.of("America/New_York"), due)).isEqualTo(Instant.parse("2026-11-02T14:00:00Z"));
    }

    @Test
    void unknownOrInvalidZoneFallsBackToUtc() {
        Campaign at9 = BASE.withTiming(Optional.of(LocalTime.of(9, 0)), Optional.empty(), Optional.empty());
        Instant due = Instant.parse("2026-11-02T06:00:00Z");
        assertThat(SendTime.earliest(at9, Optional.of("Mars/Olympus"), due)).isEqualTo(Instant.parse("2026-11-02T09:00:00Z"));
        assertThat(SendTime.earliest(at9, Optional.empty(), due)).isEqualTo(Instant.parse("2026-11-02T09:00:00Z"));
    }

    @Test
    void quietHoursAcrossMidnightMoveTheSendToTheirEnd() {
        Campaign quiet = BASE.withTiming(Optional.empty(),
                Optional.of(new Campaign.QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0))), Optional.empty());
        assertThat(SendTime.earliest(quiet, Optional.of("UTC"), Instant.parse("2026-11-02T22:30:00Z")))
                .isEqualTo(Instant.parse("2026-11-03T08:00:00Z"));
        assertThat(SendTime.earliest(quiet, Optional.of("UTC"), Instant.parse("2026-11-02T03:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-02T08:00:00Z"));
        assertThat(SendTime.earliest(quiet, Optional.of("UTC"), Instant.parse("2026-11-02T12:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-02T12:00:00Z"));
    }
}
