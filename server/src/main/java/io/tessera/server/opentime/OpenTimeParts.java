package io.tessera.server.opentime;

import java.util.Map;
import java.util.Optional;

/**
 * What open-time adds to one outgoing message: the template values under {@code opentime}
 * (feed, amp and live-image URLs with fresh tokens) and the {@code text/x-amp-html} part. Empty
 * for templates without a feed declaration. Thread-safe implementations only.
 */
public interface OpenTimeParts {

    Map<String, Object> links(String templateKey, String profileId, String messageId);

    Optional<String> amp(String templateKey, String profileId, String messageId);

    /** For renderers without open-time. */
    OpenTimeParts NONE = new OpenTimeParts() {
        @Override
        public Map<String, Object> links(String templateKey, String profileId, String messageId) {
            return Map.of();
        }

        @Override
        public Optional<String> amp(String templateKey, String profileId, String messageId) {
            return Optional.empty();
        }
    };
}
