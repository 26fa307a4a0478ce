package io.tessera.profile;

import io.tessera.event.EventCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored JSON form of a {@link Profile}, shared by every profile store adapter so that a
 * profile reads the same in SQLite and PostgreSQL:
 * <pre>{@code {"id", "identities": {"userId": [..]}, "traits": {"k": {"value", "setAt"}},
 *  "events": {"name": {"count", "first", "last", "sums"}}, "timeline": [event…], "lastOffset"}}</pre>
 * Thread-safe.
 */
public final class ProfileCodec {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    private final JsonMapper json = JsonMapper.builder().build();
    /** Resolved once: {@code readValue(text, MAP)} constructed the type on every call (backfill JFR). */
    private final tools.jackson.databind.ObjectReader mapReader = json.readerFor(MAP);

    public String encode(Profile p) {
        return json.writeValueAsString(toMap(p));
    }

    public Profile decode(String text) {
        return fromMap(mapReader.readValue(text));
    }

    static Map<String, Object> toMap(Profile p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        Map<String, Object> ids = new LinkedHashMap<>();
        for (IdentityKind k : IdentityKind.values()) {
            List<String> values = p.identities().getOrDefault(k, List.of());
            if (!values.isEmpty()) {
                ids.put(k.apiName(), values);
            }
        }
        m.put("identities", ids);
        Map<String, Object> traits = new LinkedHashMap<>();
        p.traits().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("value", e.getValue().value());
            t.put("setAt", e.getValue().setAt().toString());
            traits.put(e.getKey(), t);
        });
        m.put("traits", traits);
        Map<String, Object> events = new LinkedHashMap<>();
        p.events().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("count", e.getValue().count());
            a.put("first", e.getValue().first().toString());
            a.put("last", e.getValue().last().toString());
            a.put("sums", new java.util.TreeMap<>(e.getValue().sums()));
            events.put(e.getKey(), a);
        });
        m.put("events", events);
        m.put("timeline", p.timeline().stream().map(EventCodec::toMap).toList());
        m.put("lastOffset", p.lastOffset());
        return m;
    }

    @SuppressWarnings("unchecked")
    static Profile fromMap(Map<String, Object> m) {
        Map<IdentityKind, List<String>> ids = new EnumMap<>(IdentityKind.class);
        ((Map<String, Object>) m.get("identities")).forEach((k, v) ->
                IdentityKind.fromApiName(k).ifPresent(kind -> ids.put(kind, List.copyOf((List<String>) v))));
        Map<String, TraitValue> traits = new LinkedHashMap<>();
        ((Map<String, Map<String, Object>>) m.get("traits")).forEach((k, t) ->
                traits.put(k, new TraitValue(t.get("value"), io.tessera.event.InstantText.parse((String) t.get("setAt")))));
        Map<String, EventAggregate> events = new LinkedHashMap<>();
        ((Map<String, Map<String, Object>>) m.get("events")).forEach((k, a) -> {
            Map<String, Double> sums = new LinkedHashMap<>();
            ((Map<String, Number>) a.get("sums")).forEach((s, n) -> sums.put(s, n.doubleValue()));
            events.put(k, new EventAggregate(((Number) a.get("count")).longValue(),
                    io.tessera.event.InstantText.parse((String) a.get("first")), io.tessera.event.InstantText.parse((String) a.get("last")), sums));
        });
        List<io.tessera.event.Event> timeline = new ArrayList<>();
        ((List<Map<String, Object>>) m.get("timeline")).forEach(e -> timeline.add(EventCodec.fromMap(e)));
        return new Profile((String) m.get("id"), ids, traits, events, timeline, ((Number) m.get("lastOffset")).longValue());
    }
}
