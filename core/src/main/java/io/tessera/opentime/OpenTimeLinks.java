package io.tessera.opentime;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The open-time URLs of one message, as template values: {@code feed} ({@code …/feed.json}),
 * {@code feedXml}, {@code amp} (the amp-list endpoint) and {@code images.<slot>} (live images),
 * each with a fresh token for this profile, message and template. A template without a feed
 * declaration gets an empty map, so its open-time blocks fall back. Thread-safe.
 */
public final class OpenTimeLinks {
    private final String baseUrl;
    private final OpenTimeTokens tokens;
    private final FeedCatalog declarations;
    private final Duration ttl;

    /** @param ttl how long after sending the links keep working (opens come days or weeks later) */
    public OpenTimeLinks(String baseUrl, OpenTimeTokens tokens, FeedCatalog declarations, Duration ttl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tokens = tokens;
        this.declarations = declarations;
        this.ttl = ttl;
    }

    public Map<String, Object> forMessage(String templateKey, String profileId, String messageId, Instant now) {
        return declarations.declaration(templateKey).<Map<String, Object>>map(d -> {
            Instant expires = now.plus(ttl);
            String feed = baseUrl + "/o/" + tokens.issue(OpenTimeClaim.feed(profileId, messageId, templateKey, expires));
            Map<String, Object> links = new LinkedHashMap<>();
            links.put("feed", feed + "/feed.json");
            links.put("feedXml", feed + "/feed.xml");
            links.put("amp", feed + "/amp.json");
            if (!d.images().isEmpty()) {
                String image = baseUrl + "/o/" + tokens.issue(OpenTimeClaim.image(profileId, messageId, templateKey, expires));
                Map<String, Object> images = new LinkedHashMap<>();
                d.images().forEach(s -> images.put(s.name(), image + "/img/" + s.name()));
                links.put("images", images);
            }
            return links;
        }).orElse(Map.of());
    }
}
