package io.tessera.quality.dedupe;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How a fuzzy-duplicate merge reaches the profiles: as an {@code alias} event in the log, naming
 * one identifier of each profile, so the profile engine merges them by its ordinary rules (and
 * records the merge, which an admin can reverse), and a rebuild from the log merges them again.
 * The profile with a userId carries it as the event's userId; the other is named by its userId as
 * previousId, or by its anonymousId. Stateless.
 */
public final class ProfileMergeEvents {
    /** The event's source, and the prefix of its messageId ({@code dedupe-<pairId>}: idempotent). */
    public static final String SOURCE = "dedupe";

    private ProfileMergeEvents() {}

    /** The alias event that merges the two profiles; empty when one of them has neither a userId nor an anonymousId. */
    public static Optional<Event> alias(Profile a, Profile b, String pairId, double score, Instant at) {
        Optional<String> userA = a.firstIdentity(IdentityKind.USER_ID);
        Optional<String> userB = b.firstIdentity(IdentityKind.USER_ID);
        Profile known = userA.isPresent() || userB.isEmpty() ? a : b;
        Profile other = known == a ? b : a;
        Optional<String> userId = known.firstIdentity(IdentityKind.USER_ID);
        Optional<String> anonymousId = Optional.empty();
        Optional<String> previousId = Optional.empty();
        Optional<String> otherUser = other.firstIdentity(IdentityKind.USER_ID);
        Optional<String> otherAnon = other.firstIdentity(IdentityKind.ANONYMOUS_ID);
        if (userId.isPresent()) {
            if (otherUser.isPresent()) {
                previousId = otherUser;
            } else {
                anonymousId = otherAnon;
            }
        } else {
            anonymousId = known.firstIdentity(IdentityKind.ANONYMOUS_ID);
            previousId = otherAnon;
        }
        if (userId.isEmpty() && anonymousId.isEmpty() || previousId.isEmpty() && (userId.isEmpty() || anonymousId.isEmpty())) {
            return Optional.empty();
        }
        Map<String, Object> properties = Map.of("reason", "fuzzy duplicate", "pairId", pairId, "score", String.format(java.util.Locale.ROOT, "%.4f", score));
        return Optional.of(new Event(SOURCE + "-" + pairId, EventType.ALIAS, userId, anonymousId, "", properties, Map.of(), Map.of(),
                Map.of(), previousId, Optional.empty(), at, at, Optional.empty(), SOURCE));
    }
}
