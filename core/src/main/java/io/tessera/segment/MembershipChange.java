package io.tessera.segment;

import java.time.Instant;
import java.util.Objects;

/**
 * A profile entering or leaving a segment: the unit of the membership log, of webhooks and of the
 * stream campaigns trigger on.
 *
 * @param cause why: {@code event:<messageId>}, {@code timer:<due instant>}, {@code backfill:v<version>},
 *              {@code merge:<messageId>} or {@code rescore}
 */
public record MembershipChange(String segment, int version, String profileId, boolean entered, Instant at, String cause) {
    public MembershipChange {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(profileId, "profileId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(cause, "cause");
    }
}
