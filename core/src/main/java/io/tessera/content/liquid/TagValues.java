package io.tessera.content.liquid;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import liqp.TemplateContext;

/**
 * Evaluates the simple expressions custom tags receive as tokens: literals (strings, numbers,
 * true/false/nil) and lookups ({@code a.b[0]["c"]}, {@code size}, {@code first}, {@code last}).
 */
final class TagValues {

    private TagValues() {}

    static boolean isQuoted(String s) {
        return s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0);
    }

    static String unquote(String s) {
        return s.substring(1, s.length() - 1);
    }

    static Object resolve(List<String> tokens, TemplateContext context) {
        if (tokens.isEmpty()) {
            return null;
        }
        String first = tokens.get(0);
        if (tokens.size() == 1) {
            if (isQuoted(first)) {
                return unquote(first);
            }
            switch (first) {
                case "true": return Boolean.TRUE;
                case "false": return Boolean.FALSE;
                case "nil", "null": return null;
                default: break;
            }
            if (!first.isEmpty() && (Character.isDigit(first.charAt(0)) || first.charAt(0) == '-')) {
                try {
                    return first.contains(".") ? new BigDecimal(first) : (Object) Long.parseLong(first);
                } catch (NumberFormatException notNumber) {
                    // fall through to a lookup
                }
            }
        }
        Object cur = context.get(first);
        int i = 1;
        while (i < tokens.size() && cur != null) {
            String t = tokens.get(i);
            if (t.equals(".") && i + 1 < tokens.size()) {
                cur = member(cur, tokens.get(i + 1));
                i += 2;
            } else if (t.equals("[") && i + 2 < tokens.size() && tokens.get(i + 2).equals("]")) {
                String key = tokens.get(i + 1);
                Object k = isQuoted(key) ? unquote(key) : resolve(List.of(key), context);
                cur = index(cur, k);
                i += 3;
            } else {
                throw new LiquidRenderFailure("unsupported expression in tag: " + String.join(" ", tokens));
            }
        }
        return cur;
    }

    private static Object member(Object cur, String name) {
        if (cur instanceof Map<?, ?> m) {
            if (m.containsKey(name)) {
                return m.get(name);
            }
            if (name.equals("size")) {
                return m.size();
            }
            return null;
        }
        List<Object> list = asList(cur);
        if (!list.isEmpty() || cur instanceof Collection<?> || cur instanceof Object[]) {
            return switch (name) {
                case "size" -> list.size();
                case "first" -> list.isEmpty() ? null : list.get(0);
                case "last" -> list.isEmpty() ? null : list.get(list.size() - 1);
                default -> null;
            };
        }
        if (cur instanceof String s && name.equals("size")) {
            return s.length();
        }
        return null;
    }

    private static Object index(Object cur, Object key) {
        if (cur instanceof Map<?, ?> m) {
            return m.get(String.valueOf(key));
        }
        if (key instanceof Number n) {
            List<Object> list = asList(cur);
            int i = n.intValue() < 0 ? list.size() + n.intValue() : n.intValue();
            return i >= 0 && i < list.size() ? list.get(i) : null;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object v) {
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        if (v instanceof Collection<?> c) {
            return List.copyOf(c);
        }
        if (v instanceof Object[] a) {
            return Arrays.asList(a);
        }
        return v == null ? List.of() : List.of(v);
    }
}
