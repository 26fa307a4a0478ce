package io.tessera.content;

import io.tessera.content.liquid.Escapes;
import io.tessera.tracking.TrackingToken;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How rendered messages are tracked: links go through {@code {base}/t/c/{token}?u={url}}, an open
 * pixel {@code {base}/t/o/{token}} is appended, and the one-click unsubscribe URL is
 * {@code {base}/t/u/{token}} (RFC 8058). Tokens are signed and expire after {@code ttl}.
 */
public record LinkTracking(String baseUrl, TrackingToken tokens, Duration ttl, Optional<String> unsubscribeMailto) {

    public LinkTracking {
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    String click(String profileId, String messageId, String url, Instant now) {
        String token = tokens.issue(profileId, messageId, TrackingToken.Purpose.CLICK, url, now.plus(ttl));
        return baseUrl + "/t/c/" + token + "?u=" + Escapes.urlPart(url);
    }

    String open(String profileId, String messageId, Instant now) {
        return baseUrl + "/t/o/" + tokens.issue(profileId, messageId, TrackingToken.Purpose.OPEN, "", now.plus(ttl));
    }

    String unsubscribe(String profileId, String messageId, Instant now) {
        return baseUrl + "/t/u/" + tokens.issue(profileId, messageId, TrackingToken.Purpose.UNSUBSCRIBE, "", now.plus(ttl));
    }
}
