package io.tessera.opentime;

import java.time.Instant;

/**
 * What a valid open-time token vouches for: this profile, this message, this purpose, until
 * {@code expiresAt}. Purposes are {@code ot-feed:<template>} (feed and amp-list endpoints) and
 * {@code ot-img:<template>} (live images), so a token for one cannot be used for the other.
 */
public record OpenTimeClaim(String profileId, String messageId, String purpose, Instant expiresAt) {
    private static final String FEED = "ot-feed:";
    private static final String IMAGE = "ot-img:";

    public static OpenTimeClaim feed(String profileId, String messageId, String templateKey, Instant expiresAt) {
        return new OpenTimeClaim(profileId, messageId, FEED + templateKey, expiresAt);
    }

    public static OpenTimeClaim image(String profileId, String messageId, String templateKey, Instant expiresAt) {
        return new OpenTimeClaim(profileId, messageId, IMAGE + templateKey, expiresAt);
    }

    /** The template key if this claim is for a feed. */
    public java.util.Optional<String> feedTemplate() {
        return purpose.startsWith(FEED) ? java.util.Optional.of(purpose.substring(FEED.length())) : java.util.Optional.empty();
    }

    /** The template key if this claim is for live images. */
    public java.util.Optional<String> imageTemplate() {
        return purpose.startsWith(IMAGE) ? java.util.Optional.of(purpose.substring(IMAGE.length())) : java.util.Optional.empty();
    }
}
