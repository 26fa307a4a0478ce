package io.tessera.ingest.hook;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How one source's JSON becomes Segment-shaped calls. Every field is a JSON Pointer (RFC 6901)
 * into one record of the payload; {@code each} points at the array of records (default: the
 * payload itself, or each element when the payload is an array). Example for a CRM contact hook:
 *
 * <pre>{@code
 * {"type": "identify", "each": "/contacts", "userId": "/id", "timestamp": "/updated_at",
 *  "traits": {"email": "/properties/email", "firstName": "/properties/firstname"}}
 * }</pre>
 *
 * and for an order system: {@code {"type": "track", "event": "Order Completed", "userId":
 * "/customer/id", "messageId": "/order_id", "properties": {"revenue": "/total", "currency": "/currency"}}}.
 * {@code event} is a constant name; {@code eventFrom} takes it from the record instead.
 *
 * <p>Message ids: {@code "hook:" + source + ":" + value at messageId}, or, without one, a SHA-256 of
 * the record's canonical JSON, so a re-delivered webhook is recognised by the log's duplicate check.
 * A record whose pointers find nothing for a field leaves the field out; the ingestion parser then
 * decides (for example: no userId and no anonymousId → quarantined with {@code missing_identity}).
 * Immutable and thread-safe.
 */
public record HookMapping(String type, Optional<String> each, Optional<String> userId, Optional<String> anonymousId,
                          Optional<String> messageId, Optional<String> timestamp, Optional<String> event,
                          Optional<String> eventFrom, Map<String, String> traits, Map<String, String> properties) {

    private static final tools.jackson.databind.json.JsonMapper CANONICAL = tools.jackson.databind.json.JsonMapper.builder()
            .enable(tools.jackson.databind.cfg.JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();
    private static final Set<String> TYPES = Set.of("identify", "track");
    private static final Set<String> KEYS = Set.of("type", "each", "userId", "anonymousId", "messageId", "timestamp",
            "event", "eventFrom", "traits", "properties");

    public HookMapping {
        traits = Map.copyOf(traits);
        properties = Map.copyOf(properties);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("mapping.type must be \"identify\" or \"track\", was \"" + type + "\"");
        }
        if (type.equals("track") && event.isEmpty() && eventFrom.isEmpty()) {
            throw new IllegalArgumentException("a track mapping needs mapping.event (a name) or mapping.eventFrom (a pointer)");
        }
        if (userId.isEmpty() && anonymousId.isEmpty()) {
            throw new IllegalArgumentException("mapping needs userId or anonymousId (a JSON pointer)");
        }
        for (Optional<String> p : List.of(each, userId, anonymousId, messageId, timestamp, eventFrom)) {
            p.ifPresent(HookMapping::checkPointer);
        }
        traits.values().forEach(HookMapping::checkPointer);
        properties.values().forEach(HookMapping::checkPointer);
    }

    /** Reads a mapping from its JSON form (see the class comment); unknown keys are refused. */
    public static HookMapping fromJson(JsonNode m) {
        if (m == null || !m.isObject()) {
            throw new IllegalArgumentException("mapping must be a JSON object");
        }
        for (String k : m.propertyNames()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("mapping." + k + " is not a mapping key; known: " + new java.util.TreeSet<>(KEYS));
            }
        }
        return new HookMapping(text(m, "type").orElse("identify"), text(m, "each"), text(m, "userId"), text(m, "anonymousId"),
                text(m, "messageId"), text(m, "timestamp"), text(m, "event"), text(m, "eventFrom"),
                pointers(m, "traits"), pointers(m, "properties"));
    }

    /** The JSON form, as {@link #fromJson} reads it. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", type);
        each.ifPresent(v -> o.put("each", v));
        userId.ifPresent(v -> o.put("userId", v));
        anonymousId.ifPresent(v -> o.put("anonymousId", v));
        messageId.ifPresent(v -> o.put("messageId", v));
        timestamp.ifPresent(v -> o.put("timestamp", v));
        event.ifPresent(v -> o.put("event", v));
        eventFrom.ifPresent(v -> o.put("eventFrom", v));
        ObjectNode t = o.putObject("traits");
        new java.util.TreeMap<>(traits).forEach(t::put);
        ObjectNode p = o.putObject("properties");
        new java.util.TreeMap<>(properties).forEach(p::put);
        return o;
    }

    /** The Segment-shaped calls for one payload of {@code source}, one per record. */
    public List<ObjectNode> apply(String source, JsonNode payload) {
        JsonNode records = each.map(payload::at).orElse(payload);
        List<JsonNode> items = new ArrayList<>();
        if (records.isArray()) {
            records.forEach(items::add);
        } else if (!records.isMissingNode() && !records.isNull()) {
            items.add(records);
        }
        List<ObjectNode> calls = new ArrayList<>(items.size());
        for (JsonNode r : items) {
            calls.add(call(source, r));
        }
        return calls;
    }

    private ObjectNode call(String source, JsonNode r) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("type", type);
        scalar(r, userId).ifPresent(v -> c.put("userId", v));
        scalar(r, anonymousId).ifPresent(v -> c.put("anonymousId", v));
        scalar(r, timestamp).ifPresent(v -> c.put("timestamp", v));
        c.put("messageId", "hook:" + source + ":" + scalar(r, messageId).orElseGet(() -> digest(r)));
        if (type.equals("track")) {
            event.or(() -> scalar(r, eventFrom)).ifPresent(v -> c.put("event", v));
            c.set("properties", object(r, properties));
        } else {
            c.set("traits", object(r, traits));
        }
        c.putObject("context").putObject("library").put("name", "tessera-hook:" + source);
        return c;
    }

    private static ObjectNode object(JsonNode r, Map<String, String> fields) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        new java.util.TreeMap<>(fields).forEach((name, pointer) -> {
            JsonNode v = r.at(pointer);
            if (!v.isMissingNode()) {
                o.set(name, v);
            }
        });
        return o;
    }

    private static Optional<String> scalar(JsonNode r, Optional<String> pointer) {
        if (pointer.isEmpty()) {
            return Optional.empty();
        }
        JsonNode v = r.at(pointer.get());
        if (v.isString() || v.isNumber() || v.isBoolean()) {
            String s = v.asString();
            return s.isBlank() ? Optional.empty() : Optional.of(s);
        }
        return Optional.empty();
    }

    private static String digest(JsonNode r) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(r);
            byte[] h = MessageDigest.getInstance("SHA-256").digest(canonical);
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static Optional<String> text(JsonNode m, String key) {
        JsonNode v = m.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isString()) {
            throw new IllegalArgumentException("mapping." + key + " must be a string");
        }
        return Optional.of(v.asString());
    }

    private static Map<String, String> pointers(JsonNode m, String key) {
        JsonNode v = m.get(key);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException("mapping." + key + " must be an object of name → JSON pointer");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isString()) {
                throw new IllegalArgumentException("mapping." + key + "." + e.getKey() + " must be a JSON pointer string");
            }
            out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }

    private static void checkPointer(String p) {
        if (!p.isEmpty() && !p.startsWith("/")) {
            throw new IllegalArgumentException("\"" + p + "\" is not a JSON pointer (RFC 6901 pointers start with \"/\")");
        }
    }

}
