package io.tessera.content.liquid.compiled;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Math filters with Shopify's integer-versus-float rules: integer operands give integers
 * (division and modulo floor, as in Ruby), any float operand gives a float computed in decimal.
 */
final class MathFilters {

    private MathFilters() {}

    private interface LongOp {
        long apply(long a, long b);
    }

    private interface DecOp {
        BigDecimal apply(BigDecimal a, BigDecimal b);
    }

    static void register(FilterSet.Builder b) {
        b.add("plus", 1, 1, (in, a, kw, ctx) -> op(in, a[0], Math::addExact, BigDecimal::add));
        b.add("minus", 1, 1, (in, a, kw, ctx) -> op(in, a[0], Math::subtractExact, BigDecimal::subtract));
        b.add("times", 1, 1, (in, a, kw, ctx) -> op(in, a[0], Math::multiplyExact, BigDecimal::multiply));
        b.add("divided_by", 1, 1, (in, a, kw, ctx) -> op(in, a[0], (x, y) -> {
            zero(y == 0);
            return Math.floorDiv(x, y);
        }, (x, y) -> {
            zero(y.signum() == 0);
            return x.divide(y, MathContext.DECIMAL64);
        }));
        b.add("modulo", 1, 1, (in, a, kw, ctx) -> op(in, a[0], (x, y) -> {
            zero(y == 0);
            return Math.floorMod(x, y);
        }, (x, y) -> {
            zero(y.signum() == 0);
            BigDecimal r = x.remainder(y);
            return r.signum() != 0 && r.signum() != y.signum() ? r.add(y) : r;
        }));
        b.add("abs", 0, 0, (in, a, kw, ctx) -> {
            Object n = Numbers.toNumber(in);
            return n instanceof Long l ? (Object) Math.abs(l) : Numbers.result(((BigDecimal) n).abs());
        });
        b.add("ceil", 0, 0, (in, a, kw, ctx) -> Numbers.dec(Numbers.toNumber(in)).setScale(0, RoundingMode.CEILING).longValue());
        b.add("floor", 0, 0, (in, a, kw, ctx) -> Numbers.dec(Numbers.toNumber(in)).setScale(0, RoundingMode.FLOOR).longValue());
        b.add("round", 0, 1, (in, a, kw, ctx) -> round(in, a.length > 0 ? a[0] : null));
        b.add("at_least", 1, 1, (in, a, kw, ctx) -> minMax(in, a[0], true));
        b.add("at_most", 1, 1, (in, a, kw, ctx) -> minMax(in, a[0], false));
    }

    private static void zero(boolean isZero) {
        if (isZero) {
            throw LiquidError.render("divided by 0");
        }
    }

    private static Object op(Object input, Object operand, LongOp longs, DecOp decimals) {
        Object x = Numbers.toNumber(input);
        Object y = Numbers.toNumber(operand);
        if (x instanceof Long a && y instanceof Long b) {
            try {
                return longs.apply(a, b);
            } catch (ArithmeticException overflow) {
                if (overflow.getMessage() != null && overflow.getMessage().contains("zero")) {
                    throw LiquidError.render("divided by 0");
                }
                return decimals.apply(BigDecimal.valueOf(a), BigDecimal.valueOf(b)).doubleValue();
            }
        }
        return Numbers.result(decimals.apply(Numbers.dec(x), Numbers.dec(y)));
    }

    private static Object round(Object input, Object digits) {
        Object n = Numbers.toNumber(input);
        long d = Numbers.toLong(digits instanceof String s ? Numbers.toNumber(s) : digits);
        if (n instanceof Long l) {
            return l;
        }
        BigDecimal v = (BigDecimal) n;
        if (d <= 0) {
            return v.setScale((int) d, RoundingMode.HALF_UP).longValue();
        }
        return v.setScale((int) Math.min(d, 50), RoundingMode.HALF_UP).doubleValue();
    }

    private static Object minMax(Object input, Object bound, boolean atLeast) {
        Object x = Numbers.toNumber(input);
        Object y = Numbers.toNumber(bound);
        int c = Numbers.dec(x).compareTo(Numbers.dec(y));
        Object r = atLeast ? (c >= 0 ? x : y) : (c <= 0 ? x : y);
        return Numbers.result(r);
    }
}
