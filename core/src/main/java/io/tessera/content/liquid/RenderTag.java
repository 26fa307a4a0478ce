package io.tessera.content.liquid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import liqp.TemplateContext;
import liqp.nodes.LNode;
import liqp.tags.Tag;

/**
 * {@code {% render 'name' [with expr | for expr] [as alias], key: value, … %}} — Shopify's
 * isolated-scope snippet tag, which liqp 0.9 does not have. The snippet sees only the values
 * passed to it; its parsed form comes from the engine's snippet cache (parsed once, pooled like
 * every template), never from the file system per render.
 */
final class RenderTag extends Tag {

    private static final int MAX_DEPTH = 16;
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final LiquidEngine engine;

    RenderTag(LiquidEngine engine) {
        super("render");
        this.engine = engine;
    }

    @Override
    public Object render(TemplateContext context, LNode... nodes) {
        List<String> tokens = new ArrayList<>(nodes.length);
        for (LNode n : nodes) {
            tokens.add(String.valueOf(n.render(context)));
        }
        Call call = Call.parse(tokens);
        LiquidTemplate snippet = switch (engine.snippet(call.name)) {
            case ParseVerdict.Parsed p -> p.template();
            case ParseVerdict.Invalid i -> throw new LiquidRenderFailure(i.code() + ": " + i.message());
        };
        Map<String, Object> vars = new LinkedHashMap<>();
        call.args.forEach((k, expr) -> vars.put(k, TagValues.resolve(expr, context)));
        String alias = call.alias != null ? call.alias : call.name;
        int[] depth = DEPTH.get();
        if (depth[0] >= MAX_DEPTH) {
            throw new LiquidRenderFailure("render nested deeper than " + MAX_DEPTH);
        }
        depth[0]++;
        try {
            if (call.forExpr != null) {
                Object items = TagValues.resolve(call.forExpr, context);
                List<Object> list = TagValues.asList(items);
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < list.size(); i++) {
                    Map<String, Object> v = new HashMap<>(vars);
                    v.put(alias, list.get(i));
                    v.put("forloop", forloop(i, list.size()));
                    out.append(snippet.renderStrict(v));
                }
                return out.toString();
            }
            if (call.withExpr != null) {
                vars.put(alias, TagValues.resolve(call.withExpr, context));
            }
            return snippet.renderStrict(vars);
        } finally {
            depth[0]--;
        }
    }

    private static Map<String, Object> forloop(int i, int n) {
        Map<String, Object> m = new HashMap<>();
        m.put("index", i + 1);
        m.put("index0", i);
        m.put("rindex", n - i);
        m.put("rindex0", n - i - 1);
        m.put("first", i == 0);
        m.put("last", i == n - 1);
        m.put("length", n);
        return m;
    }

    /** The parsed arguments of one render call. */
    private static final class Call {
        String name;
        List<String> withExpr;
        List<String> forExpr;
        String alias;
        final Map<String, List<String>> args = new LinkedHashMap<>();

        static Call parse(List<String> t) {
            Call c = new Call();
            if (t.isEmpty() || !TagValues.isQuoted(t.get(0))) {
                throw new LiquidRenderFailure("render needs a quoted snippet name");
            }
            c.name = TagValues.unquote(t.get(0));
            int i = 1;
            if (i < t.size() && (t.get(i).equals("with") || t.get(i).equals("for"))) {
                boolean isFor = t.get(i).equals("for");
                int end = i + 1;
                while (end < t.size() && !t.get(end).equals("as") && !t.get(end).equals(",")) {
                    end++;
                }
                List<String> expr = List.copyOf(t.subList(i + 1, end));
                if (isFor) {
                    c.forExpr = expr;
                } else {
                    c.withExpr = expr;
                }
                i = end;
                if (i < t.size() && t.get(i).equals("as") && i + 1 < t.size()) {
                    c.alias = t.get(i + 1);
                    i += 2;
                }
            }
            while (i < t.size()) {
                if (t.get(i).equals(",")) {
                    i++;
                    continue;
                }
                if (i + 1 < t.size() && t.get(i + 1).equals(":")) {
                    String key = t.get(i);
                    int end = i + 2;
                    while (end < t.size() && !t.get(end).equals(",")) {
                        end++;
                    }
                    c.args.put(key, List.copyOf(t.subList(i + 2, end)));
                    i = end;
                } else {
                    throw new LiquidRenderFailure("unexpected '" + t.get(i) + "' in render");
                }
            }
            return c;
        }
    }
}
