package io.tessera.content.liquid;

import io.tessera.content.liquid.compiled.LiquidError;
import java.util.Map;

/**
 * One parsed Liquid source, safe to render from many threads at once. Which engine parsed it is
 * an implementation detail of the {@link LiquidEngine} that made it.
 */
public final class LiquidTemplate {

    /** An engine's parsed form; {@link #render} throws on a render error. */
    interface Body {
        String render(Map<String, Object> data);

        /** Renders onto the end of {@code out}; engines that build a String anyway just append it. */
        default void renderTo(Map<String, Object> data, StringBuilder out) {
            out.append(render(data));
        }
    }

    private final String source;
    private final Body body;

    LiquidTemplate(String source, Body body) {
        this.source = source;
        this.body = body;
    }

    /** The source as parsed (in the email dialect: with the escaper filters added). */
    public String source() {
        return source;
    }

    /** Renders with {@code data} as the template's variables (the map is not modified). */
    public RenderOutcome render(Map<String, Object> data) {
        try {
            return new RenderOutcome.Rendered(body.render(data));
        } catch (LiquidError e) {
            return new RenderOutcome.Failed(e.code().equals("missing_snippet") ? "missing_snippet" : "render_error", e.getMessage());
        } catch (RuntimeException e) {
            // liqp signals bad data (a filter on the wrong type, a limit) with plain runtime exceptions
            return new RenderOutcome.Failed("render_error", message(e));
        } catch (StackOverflowError e) {
            return new RenderOutcome.Failed("render_error", "template nested too deeply");
        }
    }

    /**
     * Renders onto the end of {@code out} — one message's HTML is many pieces, and building each as
     * a String to copy it again cost a copy of the whole body per message. On failure {@code out}
     * is as it was and the outcome says why; on success the outcome carries no text.
     *
     * @return {@link RenderOutcome.Rendered} with an empty output, or {@link RenderOutcome.Failed}
     */
    public RenderOutcome renderTo(Map<String, Object> data, StringBuilder out) {
        int mark = out.length();
        try {
            body.renderTo(data, out);
            return RENDERED_INTO;
        } catch (LiquidError e) {
            out.setLength(mark);
            return new RenderOutcome.Failed(e.code().equals("missing_snippet") ? "missing_snippet" : "render_error", e.getMessage());
        } catch (RuntimeException e) {
            out.setLength(mark);
            return new RenderOutcome.Failed("render_error", message(e));
        } catch (StackOverflowError e) {
            out.setLength(mark);
            return new RenderOutcome.Failed("render_error", "template nested too deeply");
        }
    }

    private static final RenderOutcome.Rendered RENDERED_INTO = new RenderOutcome.Rendered("");

    /** Renders with {@code data} as variables; exceptions propagate (used by liqp's render tag). */
    String renderStrict(Map<String, Object> data) {
        return body.render(data);
    }

    private static String message(Throwable e) {
        Throwable cur = e;
        while (cur.getCause() != null && cur.getCause() != cur && cur.getMessage() == null) {
            cur = cur.getCause();
        }
        return String.valueOf(cur.getMessage());
    }
}
