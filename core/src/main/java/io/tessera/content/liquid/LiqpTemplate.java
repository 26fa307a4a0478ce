package io.tessera.content.liquid;

import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import liqp.Template;
import liqp.TemplateContext;
import liqp.TemplateParser;
import liqp.nodes.LNode;
import liqp.parser.v4.NodeVisitor;

/**
 * One source parsed by liqp (the baseline engine), safe to render from many threads at once.
 *
 * <p>Implementation notes: a liqp {@link Template} keeps per-render state (its context holder,
 * the iteration and size guards), so one instance must never render for two recipients at the
 * same time. This class keeps a pool of parsed copies: a render borrows a copy (or parses a new
 * one when all are busy), renders, and returns it. The pool grows to the peak concurrency and
 * no further, so a 2-core server holds two or three copies per template; parsing happens once per
 * copy, never per render. The first copy is the one parsed when the template was checked.
 *
 * <p>liqp's {@code Template.render} rebuilds its node tree from the ANTLR parse tree on every
 * call (a {@code NodeVisitor} walk, with {@code getText} on every token). Each pooled copy here
 * builds its node tree once and renders it with a fresh root context per call — the same steps
 * {@code Template.renderToObjectUnguarded} takes, minus the rebuild (golden-liquid gives the same
 * pass rate either way; the gain is in docs/BENCHMARKS.md, "Render throughput").
 */
final class LiqpTemplate implements LiquidTemplate.Body {

    private static final int MAX_IDLE_COPIES = 64;

    private final String source;
    private final LiqpEngine engine;
    private final ConcurrentLinkedQueue<Copy> idle = new ConcurrentLinkedQueue<>();

    /** One parsed copy with its node tree; used by one render at a time. */
    private record Copy(Template template, LNode root) {
        static Copy of(Template t, TemplateParser p) {
            return new Copy(t, (LNode) new NodeVisitor(p.insertions, p.filters, p.liquidStyleInclude).visit(t.getParseTree()));
        }
    }

    LiqpTemplate(String source, LiqpEngine engine, Template first) {
        this.source = source;
        this.engine = engine;
        idle.offer(Copy.of(first, engine.parser()));
    }


    /** Renders inside an existing context (used by tags such as echo); exceptions propagate to liqp. */
    String renderIn(TemplateContext context) {
        Copy t = borrow();
        try {
            return t.template().renderUnguarded(context);
        } finally {
            release(t);
        }
    }

    /** Renders with {@code data} as variables; liqp's exceptions propagate. */
    @Override
    public String render(Map<String, Object> data) {
        Copy t = borrow();
        try {
            return renderCopy(t, data);
        } finally {
            release(t);
        }
    }

    private String renderCopy(Copy c, Map<String, Object> data) {
        TemplateParser p = engine.parser();
        Map<String, Object> vars = p.evaluate(p.mapper, data);
        TemplateContext ctx = new TemplateContext(c.template(), p, vars);
        if (p.getEnvironmentMapConfigurator() != null) {
            p.getEnvironmentMapConfigurator().accept(ctx.getEnvironmentMap());
        }
        Object out = c.root().render(ctx);
        return String.valueOf(p.getRenderTransformer().transformObject(ctx, out));
    }

    private Copy borrow() {
        Copy t = idle.poll();
        return t != null ? t : Copy.of(engine.parseCopy(source), engine.parser());
    }

    private void release(Copy t) {
        if (idle.size() < MAX_IDLE_COPIES) {
            idle.offer(t);
        }
    }
}
