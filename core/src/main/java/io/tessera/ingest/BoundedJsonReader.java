package io.tessera.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads one JSON value from a streaming parser into plain Java values (LinkedHashMap, ArrayList,
 * String, Number, Boolean, null), refusing to descend deeper than a limit. Reading straight from
 * the token stream (instead of binding through a databind tree) keeps the ingest path to one pass
 * and one allocation per value. The containers come back in {@link io.tessera.event.JsonValues}'
 * frozen form (unmodifiable LinkedHashMap/ArrayList, deeply), so {@code Event}'s constructor keeps
 * them without a second deep copy (measured with bench {@code ParseThroughput}; see
 * docs/BENCHMARKS.md, section Ingestion).
 */
final class BoundedJsonReader {
    private final int maxDepth;

    BoundedJsonReader(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    /** Thrown (and caught inside the parser) when the value nests deeper than allowed. */
    static final class TooDeep extends RuntimeException {
        final String pointer;

        TooDeep(String pointer) {
            super(pointer, null, false, false);
            this.pointer = pointer;
        }
    }

    /** Reads the object whose START_OBJECT is the current token; {@code depth} is its own depth (1 = root). */
    Map<String, Object> readObject(JsonParser p, int depth, String pointer) {
        if (depth > maxDepth) {
            throw new TooDeep(pointer);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            p.nextToken();
            m.put(name, readValue(p, depth, pointer, name));
        }
        return Collections.unmodifiableMap(m);
    }

    private List<Object> readArray(JsonParser p, int depth, String pointer) {
        if (depth > maxDepth) {
            throw new TooDeep(pointer);
        }
        List<Object> l = new ArrayList<>();
        int i = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            l.add(readValue(p, depth, pointer, Integer.toString(i++)));
        }
        return Collections.unmodifiableList(l);
    }

    private Object readValue(JsonParser p, int depth, String parent, String step) {
        return switch (p.currentToken()) {
            case START_OBJECT -> readObject(p, depth + 1, parent + "/" + escape(step));
            case START_ARRAY -> readArray(p, depth + 1, parent + "/" + escape(step));
            case VALUE_STRING -> p.getString();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IllegalStateException("unexpected token " + p.currentToken());
        };
    }

    /** JSON-pointer escaping of one reference token (RFC 6901). */
    static String escape(String step) {
        return step.indexOf('~') < 0 && step.indexOf('/') < 0 ? step : step.replace("~", "~0").replace("/", "~1");
    }
}
