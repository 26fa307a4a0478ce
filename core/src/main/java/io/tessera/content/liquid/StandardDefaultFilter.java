package io.tessera.content.liquid;

import java.util.Collection;
import java.util.Map;
import liqp.TemplateContext;
import liqp.filters.Filter;

/**
 * {@code default}: Shopify's semantics — the fallback replaces nil, false and empty values
 * (empty string, list or hash), and {@code allow_false: true} keeps {@code false}. liqp's own
 * filter only replaces nil and empty strings. In the email dialect a whitespace-only string also
 * counts as empty, so {@code {{ firstName | default: "there" }}} never greets "Hi   ,".
 */
final class StandardDefaultFilter extends Filter {

    private final boolean blankIsEmpty;

    StandardDefaultFilter(boolean blankIsEmpty) {
        super("default");
        this.blankIsEmpty = blankIsEmpty;
    }

    @Override
    public Object apply(Object value, TemplateContext context, Object... params) {
        Object fallback = params.length > 0 ? params[0] : "";
        boolean allowFalse = false;
        for (Object p : params) {
            if (p instanceof Map<?, ?> m && m.containsKey("allow_false")) {
                allowFalse = super.asBoolean(m.get("allow_false"));
            }
        }
        if (fallback instanceof Map<?, ?> m && m.containsKey("allow_false")) {
            fallback = "";
        }
        return isEmpty(value, allowFalse) ? fallback : value;
    }

    private boolean isEmpty(Object v, boolean allowFalse) {
        if (v == null) {
            return true;
        }
        if (v instanceof Boolean b) {
            return !b && !allowFalse;
        }
        if (v instanceof CharSequence s) {
            return blankIsEmpty ? s.toString().isBlank() : s.isEmpty();
        }
        if (v instanceof Collection<?> c) {
            return c.isEmpty();
        }
        if (v instanceof Object[] a) {
            return a.length == 0;
        }
        if (v instanceof Map<?, ?> m) {
            return m.isEmpty();
        }
        return false;
    }
}
