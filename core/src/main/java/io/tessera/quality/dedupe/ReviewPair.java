package io.tessera.quality.dedupe;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One pair of profiles the fuzzy dedupe found, as the review queue keeps it: pending until an
 * admin merges or rejects it; auto-merged pairs are kept as {@code MERGED} for the record. The id
 * depends only on the two profile ids (in either order), so a later run finds the same pair again
 * and does not ask twice.
 *
 * @param note why an auto-merge pair waits for a person ({@code different_user_ids},
 *             {@code separated}, {@code no_identifier}); "" for a plain review pair
 */
public record ReviewPair(String id, String profileA, String profileB, double score, Status status, String note,
                         Instant foundAt, Optional<Instant> decidedAt) {

    public enum Status { PENDING, MERGED, REJECTED }

    public ReviewPair {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(decidedAt, "decidedAt");
    }

    /** {@code dp_} + 64 bits of a name-based UUID of the two ids in sorted order. */
    public static String idOf(String a, String b) {
        String name = a.compareTo(b) <= 0 ? a + "\u001f" + b : b + "\u001f" + a;
        return "dp_" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "").substring(0, 16);
    }

    public ReviewPair decided(Status to, Instant at) {
        return new ReviewPair(id, profileA, profileB, score, to, note, foundAt, Optional.of(at));
    }
}
