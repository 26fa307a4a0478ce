package io.tessera.opentime;

import java.time.Instant;

/**
 * What a valid open-time token vouches for: this profile, this message, this use (the feed and
 * amp-list endpoints, or live images) of this template, until {@code expiresAt}. A feed token
 * cannot open an image and the other way round, and neither opens another template's data.
 */
public record OpenTimeClaim(String profileId, String messageId, Use use, String templateKey, Instant expiresAt) {

    /** Which open-time endpoints a token opens. */
    public enum Use { FEED, IMAGE }

    public static OpenTimeClaim feed(String profileId, String messageId, String templateKey, Instant expiresAt) {
        return new OpenTimeClaim(profileId, messageId, Use.FEED, templateKey, expiresAt);
    }

    public static OpenTimeClaim image(String profileId, String messageId, String templateKey, Instant expiresAt) {
        return new OpenTimeClaim(profileId, messageId, Use.IMAGE, templateKey, expiresAt);
    }
}
