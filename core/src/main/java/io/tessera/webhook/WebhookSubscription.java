package io.tessera.webhook;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Where to send which events: an endpoint URL, the secret its deliveries are signed with, and the
 * event types it wants ({@link WebhookEvent#SEGMENT_ENTERED}, {@link WebhookEvent#SEGMENT_EXITED}).
 */
public record WebhookSubscription(String id, String url, String secret, Set<String> events, Instant createdAt) {
    public WebhookSubscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        events = Set.copyOf(events);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean wants(String eventType) {
        return events.contains(eventType);
    }
}
