package io.tessera.content.liquid;

import liqp.TemplateContext;
import liqp.nodes.LNode;
import liqp.tags.Tag;

/**
 * {@code {% echo expr | filters %}} — Liquid 5's tag form of an output, which liqp 0.9 lacks.
 * It renders the equivalent {@code {{ … }}} (cached, pooled) in the current context. In the email
 * dialect echo never reaches this tag: the escaper rewrites it to an escaped output first.
 */
final class EchoTag extends Tag {

    private final LiqpEngine engine;

    EchoTag(LiqpEngine engine) {
        super("echo");
        this.engine = engine;
    }

    @Override
    public Object render(TemplateContext context, LNode... nodes) {
        StringBuilder expr = new StringBuilder("{{");
        for (LNode n : nodes) {
            expr.append(' ').append(n.render(context));
        }
        return engine.fragment(expr.append(" }}").toString()).renderIn(context);
    }
}
