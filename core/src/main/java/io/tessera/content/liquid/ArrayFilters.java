package io.tessera.content.liquid;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import liqp.LValue;
import liqp.TemplateContext;
import liqp.filters.Filter;

/**
 * Standard Liquid 5 filters that liqp 0.9 lacks: {@code has}, {@code reject}, {@code find},
 * {@code find_index}, {@code sum}, {@code replace_last}, {@code remove_last} and the base64 family.
 * Semantics follow Shopify's reference implementation (property filters match a hash by
 * {@code item[prop] == value}, or by truthiness when no value is given, and a string by substring).
 */
final class ArrayFilters {

    private ArrayFilters() {}

    static List<Filter> all() {
        return List.of(new Has(), new Reject(), new Find(), new FindIndex(), new Sum(),
                new ReplaceLast(), new RemoveLast(),
                new Base64Filter("base64_encode", s -> Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))),
                new Base64Filter("base64_decode", s -> new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8)),
                new Base64Filter("base64_url_safe_encode", s -> Base64.getUrlEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))),
                new Base64Filter("base64_url_safe_decode", s -> new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8)));
    }

    private abstract static class PropertyFilter extends Filter {
        PropertyFilter(String name) {
            super(name);
        }

        List<Object> items(Object value) {
            if (value instanceof Map<?, ?> m) {
                return List.of(m);
            }
            if (value instanceof Collection<?> c) {
                return new ArrayList<>(c);
            }
            if (value instanceof Object[] a) {
                return List.of(a);
            }
            return value == null ? List.of() : List.of(value);
        }

        boolean matches(Object item, TemplateContext context, Object... params) {
            String prop = params.length > 0 ? super.asString(params[0], context) : "";
            boolean hasTarget = params.length > 1;
            Object target = hasTarget ? params[1] : null;
            if (item == null) {
                throw new LiquidRenderFailure("property filter on nil item");
            }
            if (item instanceof Map<?, ?> m) {
                Object v = m.get(prop);
                if (hasTarget && target != null) {
                    return LValue.areEqual(v, target);
                }
                return super.isTruthy(v, context);
            }
            if (item instanceof CharSequence s) {
                return !hasTarget && s.toString().contains(prop);
            }
            return false;
        }
    }

    private static final class Has extends PropertyFilter {
        Has() {
            super("has");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            for (Object item : items(value)) {
                if (matches(item, context, params)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Reject extends PropertyFilter {
        Reject() {
            super("reject");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            List<Object> out = new ArrayList<>();
            for (Object item : items(value)) {
                if (!matches(item, context, params)) {
                    out.add(item);
                }
            }
            return out;
        }
    }

    private static final class Find extends PropertyFilter {
        Find() {
            super("find");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            for (Object item : items(value)) {
                if (matches(item, context, params)) {
                    return item;
                }
            }
            return null;
        }
    }

    private static final class FindIndex extends PropertyFilter {
        FindIndex() {
            super("find_index");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            List<Object> items = items(value);
            for (int i = 0; i < items.size(); i++) {
                if (matches(items.get(i), context, params)) {
                    return i;
                }
            }
            return null;
        }
    }

    private static final class Sum extends PropertyFilter {
        Sum() {
            super("sum");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            BigDecimal total = BigDecimal.ZERO;
            String prop = params.length > 0 ? super.asString(params[0], context) : null;
            for (Object item : items(value)) {
                Object v = prop == null ? item : item instanceof Map<?, ?> m ? m.get(prop) : null;
                if (v instanceof Collection<?> || v instanceof Map<?, ?> || v == null || v instanceof Boolean) {
                    continue;
                }
                try {
                    total = total.add(new BigDecimal(String.valueOf(v).trim()));
                } catch (NumberFormatException notNumber) {
                    // Shopify counts a non-numeric value as 0
                }
            }
            return total.stripTrailingZeros().scale() <= 0 ? (Object) total.longValueExact() : total;
        }
    }

    private static final class ReplaceLast extends Filter {
        ReplaceLast() {
            super("replace_last");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            String s = super.asString(value, context);
            String from = params.length > 0 ? super.asString(params[0], context) : "";
            String to = params.length > 1 ? super.asString(params[1], context) : "";
            int at = s.lastIndexOf(from);
            return at < 0 ? s : s.substring(0, at) + to + s.substring(at + from.length());
        }
    }

    private static final class RemoveLast extends Filter {
        RemoveLast() {
            super("remove_last");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            String s = super.asString(value, context);
            String from = params.length > 0 ? super.asString(params[0], context) : "";
            int at = s.lastIndexOf(from);
            return at < 0 ? s : s.substring(0, at) + s.substring(at + from.length());
        }
    }

    private static final class Base64Filter extends Filter {
        private final java.util.function.UnaryOperator<String> f;

        Base64Filter(String name, java.util.function.UnaryOperator<String> f) {
            super(name);
            this.f = f;
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            return f.apply(value == null ? "" : super.asString(value, context));
        }
    }
}
