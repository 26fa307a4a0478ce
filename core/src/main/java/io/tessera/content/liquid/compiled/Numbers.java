package io.tessera.content.liquid.compiled;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Liquid's number coercion (Shopify's {@code Utils.to_number}): integers stay integers, floats
 * compute as decimals (so 10.1 + 2.2 is 12.3) and print as floats, decimal strings become
 * decimals, other strings their leading integer, anything else 0.
 */
public final class Numbers {

    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");

    private Numbers() {}

    /** Long or BigDecimal. */
    public static Object toNumber(Object v) {
        return switch (v) {
            case null -> 0L;
            case Long l -> l;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case java.math.BigInteger b -> b.longValue();
            case Number n -> Values.decimal(n);
            case String s -> {
                String t = s.strip();
                if (DECIMAL.matcher(t).matches()) {
                    yield new BigDecimal(t);
                }
                yield leadingInteger(t);
            }
            default -> 0L;
        };
    }

    /** Ruby's String#to_i: optional sign and leading digits, else 0. */
    static long leadingInteger(String t) {
        int k = 0;
        int n = t.length();
        while (k < n && Character.isWhitespace(t.charAt(k))) {
            k++;
        }
        int start = k;
        if (k < n && (t.charAt(k) == '-' || t.charAt(k) == '+')) {
            k++;
        }
        int digits = k;
        while (k < n && Character.isDigit(t.charAt(k))) {
            k++;
        }
        if (k == digits) {
            return 0;
        }
        try {
            return Long.parseLong(t.substring(start, k));
        } catch (NumberFormatException tooBig) {
            return 0;
        }
    }

    /** A number result as Liquid prints it: BigDecimal back to a float. */
    static Object result(Object n) {
        return n instanceof BigDecimal d ? (Object) d.doubleValue() : n;
    }

    /** Ruby's to_i on any value: numbers truncated, strings' leading integer, else 0. */
    public static long toLong(Object v) {
        return switch (v) {
            case null -> 0;
            case Number n when Values.isInteger(n) -> n.longValue();
            case Number n -> (long) n.doubleValue();
            case String s -> {
                Object x = toNumber(s);
                yield x instanceof BigDecimal d ? d.longValue() : (Long) x;
            }
            default -> 0;
        };
    }

    static BigDecimal dec(Object n) {
        return n instanceof BigDecimal d ? d : BigDecimal.valueOf((Long) n);
    }
}
