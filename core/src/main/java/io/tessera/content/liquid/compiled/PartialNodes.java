package io.tessera.content.liquid.compiled;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@code render} (isolated scope: the snippet sees only what is passed) and {@code include}
 * (shares the caller's variables). Snippets come parsed from the engine's cache, never parsed per
 * render.
 */
final class PartialNodes {

    private PartialNodes() {}

    /** What both tags take: a bound value ({@code with}/{@code for}), an alias, keyword arguments. */
    record Call(Expr name, String literalName, Expr bound, boolean isFor, String alias, List<String> keys, List<Expr> values) {
        String variableName(String templateName) {
            if (alias != null) {
                return alias;
            }
            int slash = templateName.lastIndexOf('/');
            return slash < 0 ? templateName : templateName.substring(slash + 1);
        }
    }

    static final class Render extends Nodes.Node {
        final Call call;

        Render(Call call) {
            this.call = call;
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            CompiledTemplate snippet = ctx.engine.snippet(call.literalName());
            String var = call.variableName(call.literalName());
            Object bound = call.bound() == null ? null : call.bound().eval(ctx);
            Object[] args = new Object[call.values().size()];
            for (int k = 0; k < args.length; k++) {
                args[k] = call.values().get(k).eval(ctx);
            }
            if (call.isFor() && (bound instanceof Collection<?> || bound instanceof Object[] || bound instanceof LiquidRange)) {
                List<Object> items = Values.list(bound);
                LoopNodes.ForLoop loop = new LoopNodes.ForLoop(var, items.size(), null);
                for (int k = 0; k < items.size(); k++) {
                    loop.index0 = k;
                    RenderContext inner = inner(ctx, args);
                    inner.assign("forloop", loop);
                    inner.assign(var, items.get(k));
                    renderIn(snippet, inner, ctx, out);
                }
                return;
            }
            RenderContext inner = inner(ctx, args);
            if (call.bound() != null) {
                inner.assign(var, bound);
            }
            renderIn(snippet, inner, ctx, out);
        }

        private RenderContext inner(RenderContext ctx, Object[] args) {
            RenderContext inner = ctx.isolated();
            for (int k = 0; k < args.length; k++) {
                inner.assign(call.keys().get(k), args[k]);
            }
            return inner;
        }

        private static void renderIn(CompiledTemplate snippet, RenderContext inner, RenderContext outer, StringBuilder out) {
            outer.enter();
            try {
                snippet.root.render(inner, out);
            } finally {
                outer.leave();
            }
        }
    }

    static final class Include extends Nodes.Node {
        final Call call;

        Include(Call call) {
            this.call = call;
        }

        @Override
        void render(RenderContext ctx, StringBuilder out) {
            if (ctx.isolated) {
                throw LiquidError.render("include usage is not allowed in this context");
            }
            String name = call.literalName() != null ? call.literalName() : Values.str(call.name().eval(ctx));
            CompiledTemplate snippet = ctx.engine.snippet(name);
            String var = call.variableName(name);
            Object bound = call.bound() == null ? ctx.get(name) : call.bound().eval(ctx);
            Map<String, Object> scope = ctx.push();
            ctx.enter();
            try {
                for (int k = 0; k < call.keys().size(); k++) {
                    scope.put(call.keys().get(k), call.values().get(k).eval(ctx));
                }
                if (bound instanceof Collection<?> || bound instanceof Object[]) {
                    for (Object item : Values.list(bound)) {
                        scope.put(var, item);
                        snippet.root.render(ctx, out);
                    }
                } else {
                    scope.put(var, bound);
                    snippet.root.render(ctx, out);
                }
            } finally {
                ctx.leave();
                ctx.pop();
            }
        }
    }
}
