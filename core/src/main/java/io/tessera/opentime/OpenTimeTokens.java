package io.tessera.opentime;

import io.tessera.tracking.TrackingToken;
import java.util.Optional;

/**
 * Open-time tokens are tracking tokens ({@link TrackingToken}: one HMAC scheme, one key ring, one
 * rotation) with purpose {@code FEED} or {@code LIVE_IMAGE} and the template key as scope.
 * {@link #verify} answers empty for every kind of failure (bad format, unknown key, bad signature,
 * expired, other use) so that callers cannot leak which part failed. Thread-safe.
 */
public final class OpenTimeTokens {
    private final TrackingToken tokens;

    public OpenTimeTokens(TrackingToken tokens) {
        this.tokens = tokens;
    }

    public String issue(OpenTimeClaim c) {
        if (c.templateKey().isEmpty()) {
            throw new IllegalArgumentException("an open-time token names its template");
        }
        return tokens.issue(c.profileId(), c.messageId(), purpose(c.use()), c.templateKey(), "", c.expiresAt());
    }

    /** The claim of a token issued for {@code use}, or empty. */
    public Optional<OpenTimeClaim> verify(String token, OpenTimeClaim.Use use) {
        if (tokens.verify(token, purpose(use), "") instanceof TrackingToken.Verdict.Valid(TrackingToken.Claims c)
                && !c.scope().isEmpty()) {
            return Optional.of(new OpenTimeClaim(c.profileId(), c.messageId(), use, c.scope(), c.expiresAt()));
        }
        return Optional.empty();
    }

    private static TrackingToken.Purpose purpose(OpenTimeClaim.Use use) {
        return switch (use) {
            case FEED -> TrackingToken.Purpose.FEED;
            case IMAGE -> TrackingToken.Purpose.LIVE_IMAGE;
        };
    }
}
