package io.tessera.content.liquid.compiled;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** {@code for} and {@code tablerow}, with their {@code forloop}/{@code tablerowloop} objects. */
final class LoopNodes {

    private LoopNodes() {}

    /** {@code for var in collection [reversed] [limit: n] [offset: n|continue]} with an optional else. */
    static final class For extends Nodes.Node {
        final String var;
        final Expr collection;
        final String offsetKey;
        final Expr limit;
        final Expr offset;
        final boolean offsetContinue;
        final boolean reversed;
        final Nodes.Block body;
        final Nodes.Block otherwise;

        For(String var, Expr collection, String collectionMarkup, Expr limit, Expr offset, boolean offsetContinue,
            boolean reversed, Nodes.Block body, Nodes.Block otherwise) {
            this.var = var;
            this.collection = collection;
            this.offsetKey = var + "-" + collectionMarkup;
            this.limit = limit;
            this.offset = offset;
            this.offsetContinue = offsetContinue;
            this.reversed = reversed;
            this.body = body;
            this.otherwise = otherwise;
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            int from = offsetContinue ? ctx.offset(offsetKey) : offset == null ? 0 : toInteger(offset.eval(ctx), 0);
            Object lim = limit == null ? null : limit.eval(ctx);
            int to = lim == null ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, (long) from + toInteger(lim, 0));
            List<Object> items = slice(collection.eval(ctx), from, to);
            if (reversed) {
                items = new ArrayList<>(items);
                Collections.reverse(items);
            }
            ctx.offset(offsetKey, from + items.size());
            if (items.isEmpty()) {
                if (otherwise != null) {
                    otherwise.render(ctx, out);
                }
                return;
            }
            Map<String, Object> scope = ctx.push();
            ForLoop loop = new ForLoop(offsetKey, items.size(), ctx.currentLoop);
            ForLoop parent = ctx.currentLoop;
            ctx.currentLoop = loop;
            scope.put("forloop", loop);
            try {
                for (int k = 0; k < items.size(); k++) {
                    ctx.step();
                    loop.index0 = k;
                    scope.put(var, items.get(k));
                    body.render(ctx, out);
                    if (ctx.interrupt != RenderContext.NONE) {
                        int what = ctx.interrupt;
                        ctx.interrupt = RenderContext.NONE;
                        if (what == RenderContext.BREAK) {
                            break;
                        }
                    }
                }
            } finally {
                ctx.currentLoop = parent;
                ctx.pop();
            }
        }

        @Override
        boolean blank() {
            return body.blank() && (otherwise == null || otherwise.blank());
        }
    }

    /** {@code tablerow var in collection [cols: n] [limit: n] [offset: n]}. */
    static final class Tablerow extends Nodes.Node {
        final String var;
        final Expr collection;
        final Expr cols;
        final Expr limit;
        final Expr offset;
        final Nodes.Block body;

        Tablerow(String var, Expr collection, Expr cols, Expr limit, Expr offset, Nodes.Block body) {
            this.var = var;
            this.collection = collection;
            this.cols = cols;
            this.limit = limit;
            this.offset = offset;
            this.body = body;
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            Object coll = collection.eval(ctx);
            if (coll == null) {
                return;
            }
            int from = offset == null ? 0 : lenientInteger(offset.eval(ctx));
            int to = limit == null ? Integer.MAX_VALUE : from + lenientInteger(limit.eval(ctx));
            List<Object> items = slice(coll, from, to);
            int n = items.size();
            int c = cols == null ? n : lenientInteger(cols.eval(ctx));
            if (c <= 0) {
                c = Math.max(1, n);
            }
            out.append("<tr class=\"row1\">\n");
            Map<String, Object> scope = ctx.push();
            TablerowLoop loop = new TablerowLoop(n, c);
            scope.put("tablerowloop", loop);
            try {
                for (int k = 0; k < n; k++) {
                    ctx.step();
                    loop.index0 = k;
                    scope.put(var, items.get(k));
                    out.append("<td class=\"col").append(k % c + 1).append("\">");
                    body.render(ctx, out);
                    out.append("</td>");
                    if (ctx.interrupt != RenderContext.NONE) {
                        int what = ctx.interrupt;
                        ctx.interrupt = RenderContext.NONE;
                        if (what == RenderContext.BREAK) {
                            break;
                        }
                    }
                    if (k % c + 1 == c && k != n - 1) {
                        out.append("</tr>\n<tr class=\"row").append(k / c + 2).append("\">");
                    }
                }
            } finally {
                ctx.pop();
            }
            out.append("</tr>\n");
        }
    }

    /** Ruby's slice_collection: a string is one item, a hash its [key, value] pairs, other scalars nothing. */
    static List<Object> slice(Object coll, int from, int to) {
        List<Object> all;
        switch (coll) {
            case null -> {
                return List.of();
            }
            case CharSequence s -> all = s.isEmpty() ? List.of() : List.of(s);
            case Map<?, ?> m -> {
                all = new ArrayList<>(m.size());
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    all.add(Arrays.asList(e.getKey(), e.getValue()));
                }
            }
            case LiquidRange r -> all = r.toList();
            case Collection<?> c -> all = Values.list(c);
            case Object[] a -> all = Arrays.asList(a);
            default -> {
                return List.of();
            }
        }
        int f = Math.max(0, from);
        int t = Math.min(all.size(), to);
        if (f == 0 && t == all.size()) {
            return all;
        }
        return f >= t ? List.of() : all.subList(f, t);
    }

    /** Ruby's Utils.to_integer: integers, integer strings and floats (truncated); anything else is an error. */
    static int toInteger(Object v, int ifNil) {
        return switch (v) {
            case null -> ifNil;
            case Number n when Values.isInteger(n) -> (int) n.longValue();
            case Double d -> (int) d.doubleValue();
            case BigDecimal d -> d.intValue();
            case String s -> {
                try {
                    yield Integer.parseInt(s.strip());
                } catch (NumberFormatException e) {
                    throw LiquidError.render("invalid integer: " + s);
                }
            }
            default -> throw LiquidError.render("invalid integer: " + Values.str(v));
        };
    }

    /** Ruby's to_i: a number truncated, a string's leading integer, else 0. */
    static int lenientInteger(Object v) {
        return (int) Numbers.toLong(v);
    }

    /** What forloop and tablerowloop both say about the position in the loop. */
    static Object position(String key, int index0, int length) {
        return switch (key) {
            case "index" -> (long) index0 + 1;
            case "index0" -> (long) index0;
            case "rindex" -> (long) length - index0;
            case "rindex0" -> (long) length - index0 - 1;
            case "first" -> index0 == 0;
            case "last" -> index0 == length - 1;
            case "length" -> (long) length;
            default -> null;
        };
    }

    /** The {@code forloop} object; index advanced by the loop. */
    static final class ForLoop implements Values.Drop {
        final String name;
        final int length;
        final ForLoop parent;
        int index0;

        ForLoop(String name, int length, ForLoop parent) {
            this.name = name;
            this.length = length;
            this.parent = parent;
        }

        @Override
        public Object get(String key) {
            return switch (key) {
                case "name" -> name;
                case "parentloop" -> parent;
                default -> position(key, index0, length);
            };
        }

        @Override
        public String toString() {
            return "ForLoop";
        }
    }

    static final class TablerowLoop implements Values.Drop {
        final int length;
        final int cols;
        int index0;

        TablerowLoop(int length, int cols) {
            this.length = length;
            this.cols = cols;
        }

        @Override
        public Object get(String key) {
            return switch (key) {
                case "col" -> (long) index0 % cols + 1;
                case "col0" -> (long) index0 % cols;
                case "col_first" -> index0 % cols == 0;
                case "col_last" -> index0 % cols == cols - 1;
                case "row" -> (long) index0 / cols + 1;
                default -> position(key, index0, length);
            };
        }
    }
}
