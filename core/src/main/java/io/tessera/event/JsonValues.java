package io.tessera.event;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Helpers for the plain JSON values (String, Number, Boolean, List, Map, null) that events and
 * profiles carry. Frozen values are deep, insertion-ordered and unmodifiable; freezing an already
 * frozen value returns it as is, so values can be handed between stages without copying.
 */
public final class JsonValues {
    private static final Class<?> FROZEN_MAP = Collections.unmodifiableMap(new HashMap<>()).getClass();
    private static final Class<?> FROZEN_LIST = Collections.unmodifiableList(new ArrayList<>()).getClass();

    private JsonValues() {}

    /** A deep, unmodifiable, order-preserving copy of a JSON object (nulls kept). */
    public static Map<String, Object> freeze(Map<String, ?> map) {
        if (map.getClass() == FROZEN_MAP) {
            @SuppressWarnings("unchecked") Map<String, Object> same = (Map<String, Object>) map;
            return same;
        }
        if (map.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> copy = new LinkedHashMap<>(map.size() * 2);
        map.forEach((k, v) -> copy.put(k, freezeValue(v)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object freezeValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked") Map<String, ?> sm = (Map<String, ?>) m;
            return freeze(sm);
        }
        if (v instanceof List<?> l) {
            if (l.getClass() == FROZEN_LIST) {
                return l;
            }
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(x -> copy.add(freezeValue(x)));
            return Collections.unmodifiableList(copy);
        }
        return v;
    }

    /** The value at a dotted path ("address.city"), if every step is an object and the leaf is not null. */
    public static Optional<Object> at(Map<String, ?> root, String dottedPath) {
        Object cur = root;
        for (String step : dottedPath.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) {
                return Optional.empty();
            }
            cur = m.get(step);
        }
        return Optional.ofNullable(cur);
    }

    /** The value as a finite decimal, if it is a JSON number or a numeric string. */
    public static Optional<BigDecimal> asDecimal(Object v) {
        if (v instanceof BigDecimal d) {
            return Optional.of(d);
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? Optional.empty() : Optional.of(BigDecimal.valueOf(d));
        }
        if (v instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? Optional.empty() : Optional.of(new BigDecimal(f.toString()));
        }
        if (v instanceof Number n) {
            return Optional.of(new BigDecimal(n.toString()));
        }
        if (v instanceof String s && !s.isBlank()) {
            try {
                return Optional.of(new BigDecimal(s.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
