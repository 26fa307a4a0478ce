package io.tessera.event;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored form of an {@link Event}: a JSON object in the tracking API's own field names
 * (so a stored event reads like what the client sent, plus {@code receivedAt} and {@code source}).
 * Thread-safe; one shared instance is enough.
 */
public final class EventCodec {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    private final JsonMapper json;
    /** Resolved once: {@code readValue(bytes, MAP)} constructed the type on every call (backfill JFR). */
    private final tools.jackson.databind.ObjectReader mapReader;

    public EventCodec() {
        this(JsonMapper.builder().build());
    }

    public EventCodec(JsonMapper json) {
        this.json = json;
        this.mapReader = json.readerFor(MAP);
    }

    /**
     * The stored JSON of an event: the same bytes as serializing {@link #toMap}, written straight to
     * a streaming generator. Binding the map through Jackson's {@code MapSerializer} looked up a
     * serializer per entry and was the largest share of the ingest path's CPU in the ingestion
     * profile (docs/BENCHMARKS.md, section Ingestion); events hold only plain JSON values, so a
     * small recursive writer does.
     */
    public byte[] encode(Event e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = json.createGenerator(out)) {
            writeValue(g, toMap(e));
        }
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator g, Object v) {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> entry : m.entrySet()) {
                    g.writeName(String.valueOf(entry.getKey()));
                    writeValue(g, entry.getValue());
                }
                g.writeEndObject();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object x : l) {
                    writeValue(g, x);
                }
                g.writeEndArray();
            }
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case BigDecimal d -> g.writeNumber(d);
            case BigInteger i -> g.writeNumber(i);
            case Short s -> g.writeNumber(s);
            default -> g.writePOJO(v);
        }
    }

    public Event decode(byte[] bytes) {
        return fromMap(mapReader.readValue(bytes));
    }

    public Event decode(String text) {
        return fromMap(mapReader.readValue(text));
    }

    /**
     * A test on a stored event's bytes, without decoding them, that is false only for events that
     * cannot be track events of these names: their bytes do not hold any of the names as this codec
     * writes a JSON string. A backfill decodes only the events its aggregates read (decoding every
     * event was the largest share of a backfill over SQLite: SegmentBench, docs/BENCHMARKS.md
     * "Segment backfill, session 6"); the caller still checks the decoded event.
     */
    public java.util.function.Predicate<byte[]> mayBeTrackOf(java.util.Set<String> names) {
        List<byte[]> patterns = names.stream().map(json::writeValueAsBytes).toList();
        return body -> {
            for (byte[] p : patterns) {
                if (contains(body, p)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean contains(byte[] body, byte[] p) {
        outer:
        for (int i = 0, last = body.length - p.length; i <= last; i++) {
            for (int j = 0; j < p.length; j++) {
                if (body[i + j] != p[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The event as a JSON object in the tracking API's field names. */
    public static Map<String, Object> toMap(Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageId", e.messageId());
        m.put("type", e.type().wireName());
        e.userId().ifPresent(v -> m.put("userId", v));
        e.anonymousId().ifPresent(v -> m.put("anonymousId", v));
        if (!e.name().isEmpty()) {
            m.put(e.type() == EventType.TRACK ? "event" : "name", e.name());
        }
        if (!e.properties().isEmpty()) m.put("properties", e.properties());
        if (!e.traits().isEmpty()) m.put("traits", e.traits());
        if (!e.context().isEmpty()) m.put("context", e.context());
        if (!e.integrations().isEmpty()) m.put("integrations", e.integrations());
        e.previousId().ifPresent(v -> m.put("previousId", v));
        e.groupId().ifPresent(v -> m.put("groupId", v));
        m.put("timestamp", e.timestamp().toString());
        m.put("receivedAt", e.receivedAt().toString());
        e.sentAt().ifPresent(v -> m.put("sentAt", v.toString()));
        m.put("source", e.source());
        return m;
    }

    /** The event from its JSON-object form (the inverse of {@link #toMap}). */
    @SuppressWarnings("unchecked")
    public static Event fromMap(Map<String, Object> m) {
        EventType type = EventType.fromWire((String) m.get("type"))
                .orElseThrow(() -> new IllegalArgumentException("stored event has unknown type " + m.get("type")));
        String name = (String) (type == EventType.TRACK ? m.getOrDefault("event", "") : m.getOrDefault("name", ""));
        return new Event(
                (String) m.get("messageId"),
                type,
                optString(m, "userId"),
                optString(m, "anonymousId"),
                name,
                (Map<String, Object>) m.getOrDefault("properties", Map.of()),
                (Map<String, Object>) m.getOrDefault("traits", Map.of()),
                (Map<String, Object>) m.getOrDefault("context", Map.of()),
                (Map<String, Object>) m.getOrDefault("integrations", Map.of()),
                optString(m, "previousId"),
                optString(m, "groupId"),
                InstantText.parse((String) m.get("timestamp")),
                InstantText.parse((String) m.get("receivedAt")),
                optString(m, "sentAt").map(InstantText::parse),
                (String) m.getOrDefault("source", "api"));
    }

    private static Optional<String> optString(Map<String, Object> m, String key) {
        return Optional.ofNullable((String) m.get(key));
    }
}
