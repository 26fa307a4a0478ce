package io.tessera.webhook;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One thing that happened, as a webhook tells it: its position in its source (for the durable
 * cursor), a stable id (receivers dedupe on it: a delivery can arrive more than once), the type,
 * when it happened and its data (JSON-ready values).
 */
public record WebhookEvent(long position, String id, String type, Instant occurredAt, Map<String, Object> data) {
    public static final String SEGMENT_ENTERED = "segment.entered";
    public static final String SEGMENT_EXITED = "segment.exited";
    /** Every event type a subscription may ask for today; a new source adds its own. */
    public static final Set<String> TYPES = Set.of(SEGMENT_ENTERED, SEGMENT_EXITED);

    public WebhookEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        data = Map.copyOf(data);
    }
}
