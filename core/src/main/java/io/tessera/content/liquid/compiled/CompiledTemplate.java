package io.tessera.content.liquid.compiled;

import java.util.Map;

/** One parsed template: an immutable node tree, safe to render from many threads at once. */
public final class CompiledTemplate {

    private final CompiledLiquid engine;
    final Nodes.Block root;
    private final int sizeHint;
    private final boolean wide;

    CompiledTemplate(CompiledLiquid engine, Nodes.Block root, String source) {
        this.engine = engine;
        this.root = root;
        this.sizeHint = source.length() + source.length() / 4 + 16;
        this.wide = !source.chars().allMatch(c -> c < 0x100);
    }

    /** Renders with {@code data} as the template's variables; throws {@link LiquidError} on a render error. */
    public String render(Map<String, Object> data) {
        StringBuilder out = new StringBuilder(sizeHint);
        if (wide) {
            // the output will hold non-Latin-1 text (e.g. the link markers): switch the buffer to
            // UTF-16 while it is empty instead of inflating (copying) it halfway through
            out.append('\u0100').setLength(0);
        }
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
