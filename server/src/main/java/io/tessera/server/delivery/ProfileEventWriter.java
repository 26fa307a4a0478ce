package io.tessera.server.delivery;

import io.tessera.event.EventType;
import io.tessera.ingest.Ingestor;
import io.tessera.ingest.RequestVerdict;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes what delivery learns about a profile (a bounce, a topic subscription) as ordinary
 * tracking-API events through the {@link Ingestor}, so they are validated, logged and applied like
 * any other event — never written into the profile store directly (data flows one way). The event
 * is addressed by the profile's first userId, else anonymousId; a profile with neither gets none.
 * Thread-safe; each call returns once the event is durable.
 */
public final class ProfileEventWriter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Ingestor ingestor;
    private final ProfileStore profiles;

    public ProfileEventWriter(Ingestor ingestor, ProfileStore profiles) {
        this.ingestor = ingestor;
        this.profiles = profiles;
    }

    /** A track event; {@code messageId} makes a repeat of the same fact a duplicate. Returns whether it was accepted. */
    public boolean track(String profileId, String event, Map<String, Object> properties, String messageId, Instant at, String source) {
        Map<String, Object> body = addressed(profileId).orElse(null);
        if (body == null) {
            return false;
        }
        body.put("type", "track");
        body.put("event", event);
        body.put("properties", properties);
        return append(EventType.TRACK, body, messageId, at, source);
    }

    /** An identify event setting {@code traits}. */
    public boolean identify(String profileId, Map<String, Object> traits, String messageId, Instant at, String source) {
        Map<String, Object> body = addressed(profileId).orElse(null);
        if (body == null) {
            return false;
        }
        body.put("type", "identify");
        body.put("traits", traits);
        return append(EventType.IDENTIFY, body, messageId, at, source);
    }

    private Optional<Map<String, Object>> addressed(String profileId) {
        Optional<Profile> p = profiles.get(profileId);
        Optional<String> userId = p.flatMap(x -> x.firstIdentity(IdentityKind.USER_ID));
        Optional<String> anonymousId = p.flatMap(x -> x.firstIdentity(IdentityKind.ANONYMOUS_ID));
        if (userId.isEmpty() && anonymousId.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        userId.ifPresentOrElse(u -> body.put("userId", u), () -> body.put("anonymousId", anonymousId.get()));
        return Optional.of(body);
    }

    private boolean append(EventType type, Map<String, Object> body, String messageId, Instant at, String source) {
        body.put("messageId", messageId);
        body.put("timestamp", at.toString());
        RequestVerdict v = ingestor.parse(Optional.of(type), JSON.writeValueAsBytes(body), source);
        if (v instanceof RequestVerdict.Parsed parsed) {
            ingestor.ingest(parsed, source).join();
            return true;
        }
        return false;
    }
}
