package io.tessera.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One accepted behavioural or customer-data record, after parsing and cleaning: the unit the
 * event log stores and the profile engine applies.
 *
 * <p>Maps hold plain JSON values (String, Number, Boolean, List, Map, or null inside containers)
 * and are unmodifiable. {@code timestamp} is the event time after clock-skew correction
 * ({@code receivedAt - (sentAt - originalTimestamp)} when the client sent both), always UTC.
 *
 * @param messageId     unique per event; the idempotency key
 * @param type          the tracking-API call type
 * @param userId        the known user id, if any
 * @param anonymousId   the anonymous (device/cookie) id, if any
 * @param name          track: the event name; page/screen: the page name; otherwise ""
 * @param properties    track/page/screen properties
 * @param traits        identify/group traits (also {@code context.traits} for other calls)
 * @param context       the tracking-API context object
 * @param integrations  the tracking-API integrations object
 * @param previousId    alias: the id being merged into {@code userId}
 * @param groupId       group: the account id
 * @param timestamp     event time, skew-corrected
 * @param receivedAt    when Tessera received it
 * @param sentAt        when the client says it sent it
 * @param source        where it came from: a write-key source name, "pixel", "import", a webhook source
 */
public record Event(
        String messageId,
        EventType type,
        Optional<String> userId,
        Optional<String> anonymousId,
        String name,
        Map<String, Object> properties,
        Map<String, Object> traits,
        Map<String, Object> context,
        Map<String, Object> integrations,
        Optional<String> previousId,
        Optional<String> groupId,
        Instant timestamp,
        Instant receivedAt,
        Optional<Instant> sentAt,
        String source) {

    public Event {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(anonymousId, "anonymousId");
        Objects.requireNonNull(name, "name");
        properties = JsonValues.freeze(Objects.requireNonNull(properties, "properties"));
        traits = JsonValues.freeze(Objects.requireNonNull(traits, "traits"));
        context = JsonValues.freeze(Objects.requireNonNull(context, "context"));
        integrations = JsonValues.freeze(Objects.requireNonNull(integrations, "integrations"));
        Objects.requireNonNull(previousId, "previousId");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(source, "source");
    }

    /** A track event with the given name and properties; handy for tests, imports and the pixel. */
    public static Event track(String messageId, String userId, String name, Map<String, Object> properties, Instant at) {
        return new Event(messageId, EventType.TRACK, Optional.of(userId), Optional.empty(), name, properties,
                Map.of(), Map.of(), Map.of(), Optional.empty(), Optional.empty(), at, at, Optional.empty(), "api");
    }
}
