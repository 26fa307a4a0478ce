package io.tessera.ingest.pull;

import io.tessera.ingest.hook.HookMapping;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One scheduled pull. Each run asks {@code url} with {@code cursorParam=<cursor>} (left out while
 * there is no cursor yet), reads the records at {@code records} (a JSON Pointer; empty = the body
 * is the array), maps them with {@code mapping}, and takes as the next cursor the greatest value at
 * {@code cursorField} among the records (numbers compared as numbers, anything else as text, which
 * orders ISO-8601 times written alike). The endpoint is expected to answer records at or after the
 * cursor; the page that ends at the cursor is asked again next time and its records are recognised
 * as duplicates by their message ids. {@code authorization} (an HTTP Authorization header value)
 * is write-only, like a webhook secret.
 *
 * <p>JSON form: {@code {"url", "cursorParam": "since", "cursorField": "/updated_at", "records": "/orders",
 * "intervalSeconds": 300, "initialCursor": "…", "authorization": "Bearer …", "mapping": {…}}}.
 */
public record PullSource(String name, String url, String cursorParam, String cursorField, String records,
                         Duration interval, Optional<String> initialCursor, Optional<String> authorization, HookMapping mapping) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Set<String> KEYS = Set.of("url", "cursorParam", "cursorField", "records", "intervalSeconds",
            "initialCursor", "authorization", "mapping");

    public PullSource {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a pull name is 1-64 of a-z, 0-9, '_' and '-'");
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("url must be an http(s) URL");
        }
        if (cursorParam.isBlank()) {
            throw new IllegalArgumentException("cursorParam (the query parameter that carries the cursor) is required");
        }
        if (!cursorField.startsWith("/")) {
            throw new IllegalArgumentException("cursorField must be a JSON pointer into a record, e.g. \"/updated_at\"");
        }
        if (!records.isEmpty() && !records.startsWith("/")) {
            throw new IllegalArgumentException("records must be a JSON pointer (or empty when the body is the array)");
        }
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("intervalSeconds must be at least 1");
        }
    }

    /** The cursor after a page: the greatest value at {@link #cursorField} of its records, or {@code current}. */
    public Optional<String> nextCursor(Optional<String> current, Iterable<JsonNode> page) {
        Optional<String> best = current;
        for (JsonNode r : page) {
            JsonNode v = r.at(cursorField);
            if (v.isString() || v.isNumber()) {
                String s = v.asString();
                if (best.isEmpty() || compare(s, best.get()) > 0) {
                    best = Optional.of(s);
                }
            }
        }
        return best;
    }

    static int compare(String a, String b) {
        return io.tessera.ingest.watermark.Watermark.compare(a, b);
    }

    /** Reads the API form; {@code previousAuthorization} is kept when the body has none. */
    public static PullSource fromJson(String name, JsonNode b, Optional<String> previousAuthorization) {
        if (b == null || !b.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        for (String k : b.propertyNames()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException(k + " is not a pull field; known: " + new java.util.TreeSet<>(KEYS));
            }
        }
        JsonNode seconds = b.get("intervalSeconds");
        if (seconds != null && !seconds.canConvertToLong()) {
            throw new IllegalArgumentException("intervalSeconds must be a whole number");
        }
        return new PullSource(name, text(b, "url").orElse(""), text(b, "cursorParam").orElse(""), text(b, "cursorField").orElse(""),
                text(b, "records").orElse(""), Duration.ofSeconds(seconds == null ? 300 : seconds.asLong()), text(b, "initialCursor"),
                text(b, "authorization").or(() -> previousAuthorization), HookMapping.fromJson(b.get("mapping")));
    }

    /** The form the API shows: no authorization value, only whether one is set. */
    public ObjectNode toPublicJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("url", url);
        o.put("cursorParam", cursorParam);
        o.put("cursorField", cursorField);
        o.put("records", records);
        o.put("intervalSeconds", interval.toSeconds());
        initialCursor.ifPresent(c -> o.put("initialCursor", c));
        o.put("authorizationSet", authorization.isPresent());
        o.set("mapping", mapping.toJson());
        return o;
    }

    /** The stored form: the API form with the authorization value. */
    public ObjectNode toStoredJson() {
        ObjectNode o = toPublicJson();
        o.remove("name");
        o.remove("authorizationSet");
        authorization.ifPresent(a -> o.put("authorization", a));
        return o;
    }

    private static Optional<String> text(JsonNode b, String key) {
        JsonNode v = b.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isString()) {
            throw new IllegalArgumentException(key + " must be a string");
        }
        return Optional.of(v.asString());
    }

    @Override
    public String toString() {
        return "PullSource[" + name + ", " + url + ", authorization=" + (authorization.isPresent() ? "***" : "none") + "]";
    }
}
