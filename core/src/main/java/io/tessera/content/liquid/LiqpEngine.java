package io.tessera.content.liquid;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import liqp.Template;
import liqp.TemplateParser;
import liqp.antlr.CharStreamWithLocation;
import liqp.exceptions.LiquidException;
import liqp.org.antlr.v4.runtime.CharStreams;
import liqp.filters.Filter;
import liqp.org.antlr.v4.runtime.tree.ParseTree;
import liqp.parser.Flavor;
import liquid.parser.v4.LiquidParser;

/**
 * The liqp backend of {@link LiquidEngine} (the baseline the compiled engine is measured
 * against): liqp's parser with our tags ({@code render}, {@code echo}) and filters, strict about
 * unknown filters and filter arities (liqp itself ignores an unknown filter at render time).
 * Templates are {@link LiqpTemplate}s, which pool parsed copies. Thread-safe.
 */
final class LiqpEngine implements LiquidEngine.Backend {

    private final TemplateParser parser;
    private final Set<String> filterNames;
    private final Map<String, LiqpTemplate> fragments = new ConcurrentHashMap<>();

    LiqpEngine(LiquidEngine facade, boolean email, SnippetSource snippets, EmailFilters.Settings settings) {
        TemplateParser.Builder b = new TemplateParser.Builder()
                .withFlavor(Flavor.LIQUID)
                .withErrorMode(TemplateParser.ErrorMode.STRICT)
                .withStrictVariables(false)
                .withDefaultTimeZone(ZoneId.of("UTC"))
                .withLocale(Locale.ENGLISH)
                .withMaxIterations(1_000_000)
                .withTag(new RenderTag(facade))
                .withTag(new EchoTag(this))
                .withNameResolver(name -> new CharStreamWithLocation(CharStreams.fromString(snippets.source(name)
                        .orElseThrow(() -> new java.io.IOException("no snippet named '" + name + "'")))))
                .withFilter(new StandardDefaultFilter(email));
        for (Filter f : ArrayFilters.all()) {
            b.withFilter(f);
        }
        if (email) {
            for (Filter f : EmailFilters.all(settings)) {
                b.withFilter(f);
            }
        }
        this.parser = b.build();
        this.filterNames = Set.copyOf(parser.filters.getMap().keySet());
    }

    @Override
    public String name() {
        return "liqp";
    }

    @Override
    public ParseVerdict parse(String effective) {
        Template t;
        try {
            t = parser.parse(effective);
        } catch (LiquidException e) {
            return new ParseVerdict.Invalid("syntax", e.getMessage());
        } catch (RuntimeException e) {
            return new ParseVerdict.Invalid("syntax", String.valueOf(e.getMessage()));
        }
        List<String> unknown = unknownFilters(t.getParseTree());
        if (!unknown.isEmpty()) {
            return new ParseVerdict.Invalid("unknown_filter", "unknown filter(s): " + String.join(", ", unknown));
        }
        List<String> arity = FilterArity.violations(t.getParseTree());
        if (!arity.isEmpty()) {
            return new ParseVerdict.Invalid("filter_arguments", String.join("; ", arity));
        }
        return new ParseVerdict.Parsed(new LiquidTemplate(effective, new LiqpTemplate(effective, this, t)));
    }

    TemplateParser parser() {
        return parser;
    }

    /** Another parsed copy of source that already passed {@link #parse}. */
    Template parseCopy(String effectiveSource) {
        return parser.parse(effectiveSource);
    }

    /** A cached template for an expression fragment such as {@code {{ x | upcase }}} used by tags. */
    LiqpTemplate fragment(String source) {
        LiqpTemplate t = fragments.get(source);
        if (t == null) {
            Template parsed = parser.parse(source);
            t = fragments.computeIfAbsent(source, s -> new LiqpTemplate(s, this, parsed));
        }
        return t;
    }

    private List<String> unknownFilters(ParseTree tree) {
        List<String> unknown = new ArrayList<>();
        collectUnknown(tree, unknown);
        return unknown;
    }

    private void collectUnknown(ParseTree node, List<String> unknown) {
        if (node instanceof LiquidParser.FilterContext f && f.Id() != null) {
            String name = f.Id().getText();
            if (!filterNames.contains(name) && !unknown.contains(name)) {
                unknown.add(name);
            }
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            collectUnknown(node.getChild(i), unknown);
        }
    }
}
