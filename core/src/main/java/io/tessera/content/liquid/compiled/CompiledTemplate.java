package io.tessera.content.liquid.compiled;

import java.util.Map;

/** One parsed template: an immutable node tree, safe to render from many threads at once. */
public final class CompiledTemplate {

    private final CompiledLiquid engine;
    final Nodes.Block root;
    private final int sizeHint;

    CompiledTemplate(CompiledLiquid engine, Nodes.Block root, int sourceLength) {
        this.engine = engine;
        this.root = root;
        this.sizeHint = sourceLength + sourceLength / 4 + 16;
    }

    /** Renders with {@code data} as the template's variables; throws {@link LiquidError} on a render error. */
    public String render(Map<String, Object> data) {
        StringBuilder out = new StringBuilder(sizeHint);
        renderTo(data, out);
        return out.toString();
    }

    /** Renders into {@code out} (the data map is not modified). */
    public void renderTo(Map<String, Object> data, StringBuilder out) {
        RenderContext ctx = new RenderContext(engine, data);
        try {
            root.render(ctx, out);
        } catch (StackOverflowError deep) {
            throw LiquidError.render("template nested too deeply");
        }
    }
}
