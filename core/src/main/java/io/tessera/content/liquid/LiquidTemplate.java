package io.tessera.content.liquid;

import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import liqp.Template;
import liqp.TemplateContext;
import liqp.exceptions.LiquidException;

/**
 * One parsed Liquid source, safe to render from many threads at once.
 *
 * <p>Implementation notes: a liqp {@link Template} keeps per-render state (its context holder,
 * the iteration and size guards), so one instance must never render for two recipients at the
 * same time. This class keeps a pool of parsed copies: a render borrows a copy (or parses a new
 * one when all are busy), renders, and returns it. The pool grows to the peak concurrency and
 * no further, so a 2-core server holds two or three copies per template; parsing happens once per
 * copy, never per render. The first copy is the one parsed when the template was checked.
 */
public final class LiquidTemplate {

    private static final int MAX_IDLE_COPIES = 64;

    private final String source;
    private final LiquidEngine engine;
    private final ConcurrentLinkedQueue<Template> idle = new ConcurrentLinkedQueue<>();

    LiquidTemplate(String source, LiquidEngine engine, Template first) {
        this.source = source;
        this.engine = engine;
        idle.offer(first);
    }

    public String source() {
        return source;
    }

    /** Renders with {@code data} as the template's variables (the map is not modified). */
    public RenderOutcome render(Map<String, Object> data) {
        Template t = borrow();
        try {
            return new RenderOutcome.Rendered(t.render(data));
        } catch (LiquidException | LiquidRenderFailure e) {
            return new RenderOutcome.Failed("render_error", message(e));
        } catch (RuntimeException e) {
            // liqp signals bad data (a filter on the wrong type, a limit) with plain runtime exceptions
            return new RenderOutcome.Failed("render_error", message(e));
        } finally {
            release(t);
        }
    }

    /** Renders inside an existing context (used by tags such as echo); exceptions propagate to liqp. */
    String renderIn(TemplateContext context) {
        Template t = borrow();
        try {
            return t.renderUnguarded(context);
        } finally {
            release(t);
        }
    }

    /** Renders with {@code data} as variables; exceptions propagate (used by the render tag). */
    String renderStrict(Map<String, Object> data) {
        Template t = borrow();
        try {
            return t.render(data);
        } finally {
            release(t);
        }
    }

    private Template borrow() {
        Template t = idle.poll();
        return t != null ? t : engine.parseCopy(source);
    }

    private void release(Template t) {
        if (idle.size() < MAX_IDLE_COPIES) {
            idle.offer(t);
        }
    }

    private static String message(Throwable e) {
        Throwable cur = e;
        while (cur.getCause() != null && cur.getCause() != cur && cur.getMessage() == null) {
            cur = cur.getCause();
        }
        return String.valueOf(cur.getMessage());
    }
}
