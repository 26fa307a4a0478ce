package io.tessera.content.liquid.compiled;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Liquid's value semantics over plain Java data (maps, lists, strings, numbers, booleans, null),
 * following Shopify's reference implementation: truthiness (only nil and false are falsy),
 * equality (1 == 1.0), ordering, {@code contains}, {@code blank}/{@code empty}, member lookup
 * ({@code size}, {@code first}, {@code last}) and how a value prints (floats as Ruby prints them).
 */
public final class Values {

    /** The special {@code empty} and {@code blank} literals of comparisons. */
    enum Special { EMPTY, BLANK }

    private Values() {}

    public static boolean truthy(Object v) {
        return v != null && v != Boolean.FALSE && !(v instanceof Boolean b && !b);
    }

    /** How a value renders in an output. */
    public static String str(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Special) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        append(b, v);
        return b.toString();
    }

    /** Appends the rendered form of a value, without an intermediate string for the common cases. */
    public static void append(StringBuilder out, Object v) {
        switch (v) {
            case null -> { }
            case String s -> out.append(s);
            case Special s -> { }
            case Long l -> out.append(l.longValue());
            case Integer i -> out.append(i.intValue());
            case Double d -> out.append(floatString(d));
            case Float f -> out.append(floatString(f.doubleValue()));
            case BigDecimal d -> out.append(floatString(d.doubleValue()));
            case Boolean b -> out.append(b.booleanValue());
            case LiquidRange r -> out.append(r.start()).append("..").append(r.end());
            case Map<?, ?> m -> hash(out, m);
            case Collection<?> c -> {
                for (Object o : c) {
                    append(out, o);
                }
            }
            case Object[] a -> {
                for (Object o : a) {
                    append(out, o);
                }
            }
            default -> out.append(v);
        }
    }

    private static void hash(StringBuilder out, Map<?, ?> m) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append('"').append(e.getKey()).append("\"=>");
            inspect(out, e.getValue());
        }
        out.append('}');
    }

    private static void inspect(StringBuilder out, Object v) {
        switch (v) {
            case null -> out.append("nil");
            case String s -> out.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            case Map<?, ?> m -> hash(out, m);
            case Collection<?> c -> {
                out.append('[');
                boolean first = true;
                for (Object o : c) {
                    if (!first) {
                        out.append(", ");
                    }
                    first = false;
                    inspect(out, o);
                }
                out.append(']');
            }
            default -> append(out, v);
        }
    }

    /** Ruby's Float#to_s: 1.0, 0.1, 1.0e+20, 1.0e-05. */
    public static String floatString(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        double abs = Math.abs(d);
        if (abs >= 1e-3 && abs < 1e7) {
            return Double.toString(d); // the same shortest form Ruby prints in this range
        }
        if (abs != 0 && (abs >= 1e16 || abs < 1e-4)) {
            BigDecimal b = new BigDecimal(Double.toString(d));
            String digits = b.unscaledValue().abs().toString().replaceAll("0+$", "");
            int exp = digits.length() == 0 ? 0 : b.precision() - b.scale() - 1;
            String mantissa = digits.length() <= 1 ? digits + ".0" : digits.charAt(0) + "." + digits.substring(1);
            return (d < 0 ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String s = new BigDecimal(Double.toString(d)).toPlainString();
        if (s.indexOf('.') < 0) {
            return s + ".0";
        }
        return s;
    }

    /** Ruby's {@code ==} between Liquid values, plus the special {@code empty}/{@code blank}. */
    public static boolean equal(Object a, Object b) {
        if (a instanceof Special s) {
            return special(s, b);
        }
        if (b instanceof Special s) {
            return special(s, a);
        }
        if (a == null || b == null) {
            return a == b;
        }
        if (isNumber(a) && isNumber(b)) {
            return compareNumbers(a, b) == 0;
        }
        if (a instanceof LiquidRange || b instanceof LiquidRange) {
            return a.equals(b);
        }
        if (isList(a) && isList(b)) {
            List<Object> x = list(a);
            List<Object> y = list(b);
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof CharSequence && b instanceof CharSequence) {
            return a.toString().equals(b.toString());
        }
        return a.equals(b);
    }

    private static boolean special(Special s, Object v) {
        return switch (v) {
            case null -> s == Special.BLANK;
            case Boolean b -> s == Special.BLANK && !b;
            case CharSequence cs -> s == Special.BLANK ? cs.toString().isBlank() : cs.isEmpty();
            case Collection<?> c -> c.isEmpty();
            case Map<?, ?> m -> m.isEmpty();
            case Object[] a -> a.length == 0;
            case Special other -> other == s;
            default -> false;
        };
    }

    /** Ruby's {@code <=>} for {@code < > <= >=}; null when the operands cannot be ordered. */
    static Integer compare(Object a, Object b) {
        if (isNumber(a) && isNumber(b)) {
            return compareNumbers(a, b);
        }
        if (a instanceof CharSequence x && b instanceof CharSequence y) {
            return x.toString().compareTo(y.toString());
        }
        return null;
    }

    static boolean contains(Object container, Object item) {
        if (!truthy(item)) {
            return false;
        }
        if (container instanceof CharSequence s) {
            return item != null && s.toString().contains(str(item));
        }
        if (container instanceof Map<?, ?> m) {
            return item != null && m.containsKey(str(item));
        }
        if (isList(container)) {
            for (Object o : list(container)) {
                if (equal(o, item)) {
                    return true;
                }
            }
        }
        return false;
    }

    public static boolean isNumber(Object v) {
        return v instanceof Number;
    }

    public static boolean isInteger(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof BigInteger;
    }

    static int compareNumbers(Object a, Object b) {
        if (isInteger(a) && isInteger(b)) {
            return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
        }
        if ((a instanceof Double || a instanceof Long) && (b instanceof Double || b instanceof Long)) {
            double x = ((Number) a).doubleValue();
            double y = ((Number) b).doubleValue();
            return x < y ? -1 : x > y ? 1 : 0;
        }
        return decimal(a).compareTo(decimal(b));
    }

    public static BigDecimal decimal(Object n) {
        return switch (n) {
            case BigDecimal d -> d;
            case Double d -> d.isNaN() || d.isInfinite() ? BigDecimal.ZERO : new BigDecimal(Double.toString(d));
            case Float f -> new BigDecimal(Float.toString(f));
            case BigInteger i -> new BigDecimal(i);
            case Number x -> BigDecimal.valueOf(x.longValue());
            default -> BigDecimal.ZERO;
        };
    }

    public static boolean isList(Object v) {
        return v instanceof Collection<?> || v instanceof Object[] || v instanceof LiquidRange;
    }

    /** The items of a list-like value; a single value is a one-item list, nil is empty. */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Object v) {
        return switch (v) {
            case null -> List.of();
            case List<?> l -> (List<Object>) l;
            case Collection<?> c -> new ArrayList<>(c);
            case Object[] a -> Arrays.asList(a);
            case LiquidRange r -> r.toList();
            default -> List.of(v);
        };
    }

    /** {@code obj.key} or {@code obj[key]}: map entries, list indexes and size/first/last. */
    public static Object member(Object obj, Object key) {
        switch (obj) {
            case null -> {
                return null;
            }
            case Map<?, ?> m -> {
                Object v = m.get(key instanceof String ? key : str(key));
                if (v != null || !(key instanceof String k)) {
                    return v;
                }
                if (m.containsKey(k)) {
                    return null;
                }
                if (k.equals("size")) {
                    return (long) m.size();
                }
                if (k.equals("first") && !m.isEmpty()) {
                    Map.Entry<?, ?> e = m.entrySet().iterator().next();
                    return Arrays.asList(e.getKey(), e.getValue());
                }
                return null;
            }
            case Drop d -> {
                return key instanceof String k ? d.get(k) : null;
            }
            default -> { }
        }
        if (isList(obj)) {
            if (key instanceof Number n && isInteger(n)) {
                List<Object> l = list(obj);
                long i = n.longValue();
                if (i < 0) {
                    i += l.size();
                }
                return i >= 0 && i < l.size() ? l.get((int) i) : null;
            }
            if (key instanceof String k) {
                List<Object> l = list(obj);
                return switch (k) {
                    case "size" -> (long) l.size();
                    case "first" -> l.isEmpty() ? null : l.get(0);
                    case "last" -> l.isEmpty() ? null : l.get(l.size() - 1);
                    default -> null;
                };
            }
            return null;
        }
        if (obj instanceof CharSequence s && "size".equals(key)) {
            return (long) s.length();
        }
        return null;
    }

    /** The {@code size} filter's idea of length. */
    static long size(Object v) {
        return switch (v) {
            case CharSequence s -> s.length();
            case Map<?, ?> m -> m.size();
            case Collection<?> c -> c.size();
            case Object[] a -> a.length;
            case LiquidRange r -> r.size();
            case null, default -> 0;
        };
    }

    /** An object with named properties computed on access (forloop, tablerowloop). */
    public interface Drop {
        Object get(String key);
    }
}
