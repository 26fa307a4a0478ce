package io.tessera.content.liquid.compiled;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A compiled Liquid expression: literals, variable lookups with their path resolved to constant
 * keys where possible, ranges, filter chains bound to their Java functions, and conditions.
 * Immutable; evaluation state lives in the {@link RenderContext}.
 */
sealed interface Expr {

    Object eval(RenderContext ctx);

    record Literal(Object value) implements Expr {
        @Override
        public Object eval(RenderContext ctx) {
            return value;
        }
    }

    /** A top-level variable: {@code name}. */
    record Var(String name) implements Expr {
        @Override
        public Object eval(RenderContext ctx) {
            return ctx.get(name);
        }
    }

    /** {@code [expr]} at the start of a path: a variable whose name is computed. */
    record DynamicVar(Expr name) implements Expr {
        @Override
        public Object eval(RenderContext ctx) {
            return ctx.get(Values.str(name.eval(ctx)));
        }
    }

    /** {@code root.a[0]["b"][x]}: each key is a constant (String or Long) or an {@link Expr}. */
    record Path(Expr root, Object[] keys) implements Expr {
        @Override
        public Object eval(RenderContext ctx) {
            Object cur = root.eval(ctx);
            for (Object k : keys) {
                if (cur == null) {
                    return null;
                }
                cur = Values.member(cur, k instanceof Expr e ? e.eval(ctx) : k);
            }
            return cur;
        }
    }

    record Range(Expr start, Expr end) implements Expr {
        @Override
        public Object eval(RenderContext ctx) {
            return new LiquidRange(Numbers.toLong(start.eval(ctx)), Numbers.toLong(end.eval(ctx)));
        }
    }

    /** One filter application with its arguments, bound at parse time. */
    record FilterCall(String name, Filter fn, Expr[] args, String[] kwNames, Expr[] kwValues) {
        Object apply(Object input, RenderContext ctx) {
            Object[] a = args.length == 0 ? NO_ARGS : new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                a[i] = args[i].eval(ctx);
            }
            Map<String, Object> kw = Map.of();
            if (kwNames.length > 0) {
                kw = new LinkedHashMap<>();
                for (int i = 0; i < kwNames.length; i++) {
                    kw.put(kwNames[i], kwValues[i].eval(ctx));
                }
            }
            return fn.apply(input, a, kw, ctx);
        }
    }

    Object[] NO_ARGS = new Object[0];

    record Filtered(Expr input, FilterCall[] filters) implements Expr {
        @Override
        public Object eval(RenderContext ctx) {
            Object v = input.eval(ctx);
            for (FilterCall f : filters) {
                v = f.apply(v, ctx);
            }
            return v;
        }
    }

    enum Op { EQ, NE, LT, GT, LE, GE, CONTAINS }

    record Compare(Op op, Expr left, Expr right) implements Expr {
        @Override
        public Object eval(RenderContext ctx) {
            Object l = left.eval(ctx);
            Object r = right.eval(ctx);
            return switch (op) {
                case EQ -> Values.equal(l, r);
                case NE -> !Values.equal(l, r);
                case CONTAINS -> Values.contains(l, r);
                default -> ordered(l, r);
            };
        }

        private boolean ordered(Object l, Object r) {
            if (l instanceof Values.Special || r instanceof Values.Special) {
                return false;
            }
            Integer c = Values.compare(l, r);
            if (c == null) {
                if ((l instanceof Number || l instanceof CharSequence) && (r instanceof Number || r instanceof CharSequence)) {
                    throw LiquidError.render("comparison of " + type(l) + " with " + type(r) + " failed");
                }
                return false;
            }
            return switch (op) {
                case LT -> c < 0;
                case GT -> c > 0;
                case LE -> c <= 0;
                default -> c >= 0;
            };
        }

        private static String type(Object o) {
            return o instanceof Number ? "Integer" : "String";
        }
    }

    record And(Expr left, Expr right) implements Expr {
        @Override
        public Object eval(RenderContext ctx) {
            return Values.truthy(left.eval(ctx)) && Values.truthy(right.eval(ctx));
        }
    }

    record Or(Expr left, Expr right) implements Expr {
        @Override
        public Object eval(RenderContext ctx) {
            return Values.truthy(left.eval(ctx)) || Values.truthy(right.eval(ctx));
        }
    }
}
