package io.tessera.content.liquid.compiled;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shopify's array filters and {@code default}. Inputs go through Ruby's InputIterator rules: a
 * list is flattened, a hash or scalar is a one-item list, nil is empty. Property filters
 * ({@code where}, {@code reject}, {@code has}, {@code find}, {@code find_index}) match
 * {@code item[prop] == value}, or the truthiness of {@code item[prop]} when no value is given.
 */
final class ListFilters {

    private ListFilters() {}

    static void register(FilterSet.Builder b) {
        b.add("size", 0, 0, (in, a, kw, ctx) -> Values.size(in));
        b.add("first", 0, 0, (in, a, kw, ctx) -> firstOrLast(in, true));
        b.add("last", 0, 0, (in, a, kw, ctx) -> firstOrLast(in, false));
        b.add("join", 0, 1, (in, a, kw, ctx) -> join(in, a.length > 0 ? Values.str(a[0]) : " "));
        b.add("reverse", 0, 0, (in, a, kw, ctx) -> {
            List<Object> l = new ArrayList<>(items(in));
            Collections.reverse(l);
            return l;
        });
        b.add("sort", 0, 1, (in, a, kw, ctx) -> sort(in, a.length > 0 ? a[0] : null, false));
        b.add("sort_natural", 0, 1, (in, a, kw, ctx) -> sort(in, a.length > 0 ? a[0] : null, true));
        b.add("uniq", 0, 1, (in, a, kw, ctx) -> uniq(in, a.length > 0 ? a[0] : null));
        b.add("compact", 0, 1, (in, a, kw, ctx) -> {
            List<Object> out = new ArrayList<>();
            for (Object o : items(in)) {
                if ((a.length == 0 || a[0] == null ? o : prop(o, a[0])) != null) {
                    out.add(o);
                }
            }
            return out;
        });
        b.add("map", 1, 1, (in, a, kw, ctx) -> {
            List<Object> out = new ArrayList<>();
            for (Object o : items(in)) {
                out.add(prop(o, a[0]));
            }
            return out;
        });
        b.add("concat", 1, 1, (in, a, kw, ctx) -> {
            if (!Values.isList(a[0])) {
                throw LiquidError.render("concat filter requires an array argument");
            }
            List<Object> out = new ArrayList<>(items(in));
            out.addAll(Values.list(a[0]));
            return out;
        });
        b.add("where", 1, 2, (in, a, kw, ctx) -> select(in, a, true));
        b.add("reject", 1, 2, (in, a, kw, ctx) -> hasNil(items(in)) ? null : select(in, a, false));
        b.add("has", 1, 2, (in, a, kw, ctx) -> {
            int k = find(in, a);
            return k == NIL_ITEM ? null : (Object) (k >= 0);
        });
        b.add("find", 1, 2, (in, a, kw, ctx) -> {
            int k = find(in, a);
            return k >= 0 ? items(in).get(k) : null;
        });
        b.add("find_index", 1, 2, (in, a, kw, ctx) -> {
            int k = find(in, a);
            return k >= 0 ? (Object) (long) k : null;
        });
        b.add("sum", 0, 1, (in, a, kw, ctx) -> sum(in, a.length > 0 ? a[0] : null));
        b.add("default", 0, 1, (in, a, kw, ctx) -> defaultValue(in, a.length > 0 ? a[0] : "", kw, false));
    }

    /** Ruby's InputIterator: lists flattened, anything else a one-item list, nil empty. */
    static List<Object> items(Object in) {
        if (in == null) {
            return List.of();
        }
        if (in instanceof LiquidRange r) {
            return r.toList();
        }
        if (!(in instanceof Collection<?> || in instanceof Object[])) {
            return List.of(in);
        }
        List<Object> out = new ArrayList<>();
        flatten(Values.list(in), out);
        return out;
    }

    private static void flatten(List<Object> l, List<Object> out) {
        for (Object o : l) {
            if (o instanceof Collection<?> || o instanceof Object[]) {
                flatten(Values.list(o), out);
            } else {
                out.add(o);
            }
        }
    }

    private static Object firstOrLast(Object in, boolean first) {
        if (in instanceof Map<?, ?> m) {
            return first ? Values.member(m, "first") : null;
        }
        if (!Values.isList(in)) {
            return null;
        }
        List<Object> l = Values.list(in);
        return l.isEmpty() ? null : l.get(first ? 0 : l.size() - 1);
    }

    private static String join(Object in, String glue) {
        StringBuilder out = new StringBuilder();
        boolean firstItem = true;
        for (Object o : items(in)) {
            if (!firstItem) {
                out.append(glue);
            }
            firstItem = false;
            Values.append(out, o);
        }
        return out.toString();
    }

    /** {@code item[prop]} as Ruby evaluates it: hash entry, substring match for a string, else an error. */
    static Object prop(Object item, Object property) {
        if (item instanceof Map<?, ?> || item instanceof Values.Drop) {
            return Values.member(item, Values.str(property));
        }
        if (item == null) {
            return null;
        }
        if (Values.isInteger(item) && Values.isInteger(property)) {
            return (((Number) item).longValue() >> Math.min(63, ((Number) property).longValue())) & 1;
        }
        if (item instanceof CharSequence s) {
            String p = Values.str(property);
            return s.toString().contains(p) ? p : null;
        }
        if (Values.isList(item) && property instanceof Number) {
            return Values.member(item, property);
        }
        throw LiquidError.render("cannot select the property '" + Values.str(property) + "'");
    }

    private static List<Object> sort(Object in, Object property, boolean natural) {
        List<Object> l = new ArrayList<>(items(in));
        Comparator<Object> cmp = natural ? ListFilters::naturalCompare : ListFilters::nilSafeCompare;
        if (property == null) {
            l.sort(cmp);
        } else {
            l.sort((x, y) -> cmp.compare(prop(x, property), prop(y, property)));
        }
        return l;
    }

    private static int nilSafeCompare(Object a, Object b) {
        Integer c = a == null || b == null ? null : Values.compare(a, b);
        if (c != null) {
            return c;
        }
        if (a == null && b == null) {
            return 0;
        }
        if (a == null) {
            return 1;
        }
        if (b == null) {
            return -1;
        }
        throw LiquidError.render("comparison of " + Values.str(a) + " with " + Values.str(b) + " failed");
    }

    private static int naturalCompare(Object a, Object b) {
        if (a != null && b != null) {
            return Values.str(a).compareToIgnoreCase(Values.str(b));
        }
        return a == null ? (b == null ? 0 : 1) : -1;
    }

    private static List<Object> uniq(Object in, Object property) {
        List<Object> out = new ArrayList<>();
        Set<Object> seen = new HashSet<>();
        for (Object o : items(in)) {
            Object key = property == null ? o : prop(o, property);
            if (seen.add(key == null ? NIL : normalized(key))) {
                out.add(o);
            }
        }
        return out;
    }

    private static final Object NIL = new Object();

    private static Object normalized(Object v) {
        return v instanceof Number n && !(v instanceof BigDecimal) && Values.isInteger(n) ? (Object) n.longValue() : v;
    }

    private static List<Object> select(Object in, Object[] a, boolean keep) {
        List<Object> out = new ArrayList<>();
        for (Object o : items(in)) {
            if (matches(o, a) == keep) {
                out.add(o);
            }
        }
        return out;
    }

    private static boolean hasNil(List<Object> l) {
        for (Object o : l) {
            if (o == null) {
                return true;
            }
        }
        return false;
    }

    /** {@link #find}'s answer when a nil item comes first: Shopify's filter then returns nil. */
    private static final int NIL_ITEM = -2;

    private static int find(Object in, Object[] a) {
        List<Object> l = items(in);
        for (int k = 0; k < l.size(); k++) {
            if (l.get(k) == null) {
                return NIL_ITEM;
            }
            if (matches(l.get(k), a)) {
                return k;
            }
        }
        return -1;
    }

    private static boolean matches(Object item, Object[] a) {
        Object v = prop(item, a[0]);
        if (a.length < 2 || a[1] == null) {
            return Values.truthy(v);
        }
        return Values.equal(v, a[1]);
    }

    private static Object sum(Object in, Object property) {
        Object total = 0L;
        for (Object o : items(in)) {
            Object v = property == null ? o : prop(o, property);
            Object n = v instanceof Boolean ? 0L : Numbers.toNumber(v);
            if (total instanceof Long t && n instanceof Long x) {
                total = t + x;
            } else {
                total = Numbers.dec(total).add(Numbers.dec(n));
            }
        }
        return Numbers.result(total);
    }

    /** {@code default}: nil, false and empty values take the fallback; {@code allow_false: true} keeps false. */
    static Object defaultValue(Object in, Object fallback, Map<String, Object> kw, boolean blankIsEmpty) {
        boolean allowFalse = Values.truthy(kw.get("allow_false"));
        boolean useFallback = allowFalse ? in == null : !Values.truthy(in);
        if (!useFallback) {
            useFallback = switch (in) {
                case CharSequence cs -> blankIsEmpty ? cs.toString().isBlank() : cs.isEmpty();
                case Collection<?> c -> c.isEmpty();
                case Map<?, ?> m -> m.isEmpty();
                case Object[] arr -> arr.length == 0;
                default -> false;
            };
        }
        return useFallback ? fallback : in;
    }
}
