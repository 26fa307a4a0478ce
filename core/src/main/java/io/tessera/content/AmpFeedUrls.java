package io.tessera.content;

import io.tessera.opentime.OpenTimeClaim;
import io.tessera.opentime.OpenTimeTokens;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a message's AMP part fetches its open-time feed: the absolute HTTPS URL of the
 * {@code amp-list} endpoint for one recipient and message. Implementations are thread-safe.
 */
@FunctionalInterface
public interface AmpFeedUrls {

    String feedUrl(String profileId, String messageId, String templateKey, Instant now);

    /**
     * The open-time endpoint {@code {httpsBase}/o/{token}/amp.json} with a feed token
     * ({@code ot-feed:<template>}) valid for {@code ttl} — what {@code OpenTimeRoutes} serves.
     */
    static AmpFeedUrls openTime(String httpsBase, OpenTimeTokens tokens, Duration ttl) {
        String base = httpsBase.endsWith("/") ? httpsBase.substring(0, httpsBase.length() - 1) : httpsBase;
        return (profileId, messageId, templateKey, now) -> base + "/o/"
                + tokens.issue(OpenTimeClaim.feed(profileId, messageId, templateKey, now.plus(ttl))) + "/amp.json";
    }
}
