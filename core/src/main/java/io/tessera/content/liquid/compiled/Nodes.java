package io.tessera.content.liquid.compiled;

import java.util.ArrayList;
import java.util.List;

/**
 * The template tree: immutable nodes that render into a {@link StringBuilder} with a per-render
 * {@link RenderContext}. Loops live in {@link LoopNodes}, partials in {@link PartialNodes}.
 */
final class Nodes {

    private Nodes() {}

    /** A node of the tree. {@code blank} nodes produce no output (Shopify strips whitespace around them). */
    abstract static class Node {
        abstract void render(RenderContext ctx, StringBuilder out);

        boolean blank() {
            return false;
        }
    }

    static boolean allBlank(Node[] nodes) {
        for (Node n : nodes) {
            if (!n.blank()) {
                return false;
            }
        }
        return true;
    }

    /** A sequence of nodes; stops early when a break/continue is pending. */
    static final class Block extends Node {
        final Node[] nodes;

        Block(List<Node> nodes) {
            this.nodes = nodes.toArray(new Node[0]);
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            for (Node n : nodes) {
                n.render(ctx, out);
                if (ctx.interrupt != RenderContext.NONE) {
                    return;
                }
            }
        }

        @Override
        boolean blank() {
            return allBlank(nodes);
        }

        /** This block without its whitespace-only text (for a control-flow tag whose bodies are all blank). */
        Block withoutBlankText() {
            List<Node> kept = new ArrayList<>();
            for (Node n : nodes) {
                if (!(n instanceof Text)) {
                    kept.add(n);
                }
            }
            return new Block(kept);
        }
    }

    static final class Text extends Node {
        final String text;

        Text(String text) {
            this.text = text;
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            out.append(text);
        }

        @Override
        boolean blank() {
            return text.isBlank();
        }
    }

    static final class Output extends Node {
        final Expr expr;

        Output(Expr expr) {
            this.expr = expr;
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            Values.append(out, expr.eval(ctx));
        }
    }

    static final class Assign extends Node {
        final String name;
        final Expr expr;

        Assign(String name, Expr expr) {
            this.name = name;
            this.expr = expr;
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            ctx.assign(name, expr.eval(ctx));
        }

        @Override
        boolean blank() {
            return true;
        }
    }

    static final class Capture extends Node {
        final String name;
        final Block body;

        Capture(String name, Block body) {
            this.name = name;
            this.body = body;
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            StringBuilder b = new StringBuilder();
            body.render(ctx, b);
            ctx.assign(name, b.toString());
        }

        @Override
        boolean blank() {
            return true;
        }
    }

    /** if/elsif/else and unless: the first branch whose condition holds renders. */
    static final class If extends Node {
        final Expr[] conditions;
        final Block[] bodies;
        final boolean negateFirst;

        If(List<Expr> conditions, List<Block> bodies, boolean negateFirst) {
            this.conditions = conditions.toArray(new Expr[0]);
            this.bodies = bodies.toArray(new Block[0]);
            this.negateFirst = negateFirst;
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            for (int k = 0; k < conditions.length; k++) {
                boolean holds = conditions[k] == null || Values.truthy(conditions[k].eval(ctx));
                if (k == 0 && negateFirst) {
                    holds = !holds;
                }
                if (holds) {
                    bodies[k].render(ctx, out);
                    return;
                }
            }
        }

        @Override
        boolean blank() {
            return allBlank(bodies);
        }
    }

    /** case/when/else: every matching when renders; an else renders when no when before it matched. */
    static final class Case extends Node {
        final Expr subject;
        final Expr[] values;
        final Block[] bodies;

        Case(Expr subject, List<Expr> values, List<Block> bodies) {
            this.subject = subject;
            this.values = values.toArray(new Expr[0]);
            this.bodies = bodies.toArray(new Block[0]);
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            Object s = subject.eval(ctx);
            boolean matched = false;
            for (int k = 0; k < values.length; k++) {
                if (values[k] == null) {
                    if (!matched) {
                        bodies[k].render(ctx, out);
                    }
                } else if (Values.equal(s, values[k].eval(ctx))) {
                    matched = true;
                    bodies[k].render(ctx, out);
                }
                if (ctx.interrupt != RenderContext.NONE) {
                    return;
                }
            }
        }

        @Override
        boolean blank() {
            return allBlank(bodies);
        }
    }

    static final class Counter extends Node {
        final String name;
        final int delta;

        Counter(String name, int delta) {
            this.name = name;
            this.delta = delta;
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            out.append(ctx.counter(name, delta));
        }
    }

    static final class Cycle extends Node {
        final Expr group;
        final Object key;
        final Expr[] values;

        Cycle(Expr group, Object key, List<Expr> values) {
            this.group = group;
            this.key = key;
            this.values = values.toArray(new Expr[0]);
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            Object k = group == null ? key : new GroupKey(group.eval(ctx));
            int at = ctx.cycle(k, values.length);
            if (at < values.length) {
                Values.append(out, values[at].eval(ctx));
            }
        }

        private record GroupKey(Object name) {}
    }

    static final class Interrupt extends Node {
        final int kind;

        Interrupt(int kind) {
            this.kind = kind;
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            ctx.interrupt = kind;
        }
    }

    static final class IfChanged extends Node {
        final Block body;

        IfChanged(Block body) {
            this.body = body;
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            StringBuilder b = new StringBuilder();
            body.render(ctx, b);
            String s = b.toString();
            if (ctx.ifchanged(s)) {
                out.append(s);
            }
        }
    }
}
