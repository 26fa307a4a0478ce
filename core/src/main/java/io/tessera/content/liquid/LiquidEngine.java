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
 * Parses Liquid source into thread-safe {@link LiquidTemplate}s, in one of two dialects.
 *
 * <ul>
 *   <li>{@link #standard} — Shopify's reference semantics (no escaping); what
 *       {@code tessera render} uses and what the golden-liquid suite measures.</li>
 *   <li>{@link #email} — the same language plus our filters ({@code money}, {@code local_date},
 *       {@code image_resize}, {@code safe}) and <em>contextual auto-escaping</em>: every
 *       {@code {{ … }}} is rewritten at parse time to end in the escaper its HTML position needs
 *       (see {@link ContextualEscaper}).</li>
 * </ul>
 *
 * <p>Both dialects are strict: an unknown tag or filter is a parse error (liqp itself ignores an
 * unknown filter at render time), reported as {@link ParseVerdict.Invalid}. {@code {% render %}}
 * snippets come from a {@link SnippetSource} and are parsed once per engine. Thread-safe.
 */
public final class LiquidEngine {

    private final TemplateParser parser;
    private final boolean email;
    private final Set<String> filterNames;
    private final SnippetSource snippets;
    private final Map<String, ParseVerdict> parsedSnippets = new ConcurrentHashMap<>();
    private final Map<String, LiquidTemplate> fragments = new ConcurrentHashMap<>();

    private LiquidEngine(boolean email, SnippetSource snippets, EmailFilters.Settings settings) {
        this.email = email;
        this.snippets = snippets;
        TemplateParser.Builder b = new TemplateParser.Builder()
                .withFlavor(Flavor.LIQUID)
                .withErrorMode(TemplateParser.ErrorMode.STRICT)
                .withStrictVariables(false)
                .withDefaultTimeZone(ZoneId.of("UTC"))
                .withLocale(Locale.ENGLISH)
                .withMaxIterations(1_000_000)
                .withTag(new RenderTag(this))
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

    /** Shopify reference semantics, no escaping. */
    public static LiquidEngine standard(SnippetSource snippets) {
        return new LiquidEngine(false, snippets, EmailFilters.Settings.DEFAULTS);
    }

    /** The email dialect: our filters and contextual auto-escaping of every output. */
    public static LiquidEngine email(SnippetSource snippets, EmailFilters.Settings settings) {
        return new LiquidEngine(true, snippets, settings);
    }

    public boolean escapes() {
        return email;
    }

    /** Parses HTML (or text) Liquid source. In the email dialect outputs are HTML-context escaped. */
    public ParseVerdict parse(String source) {
        return parse(source, ContextualEscaper.Start.HTML);
    }

    /** Parses a one-line plain-text template such as a subject (email dialect: text escaping). */
    public ParseVerdict parseText(String source) {
        return parse(source, ContextualEscaper.Start.TEXT);
    }

    private ParseVerdict parse(String source, ContextualEscaper.Start start) {
        String effective = source;
        if (email) {
            ContextualEscaper.Result r = ContextualEscaper.instrument(source, start);
            if (r instanceof ContextualEscaper.Refused refused) {
                return new ParseVerdict.Invalid("unsafe_output", refused.reason());
            }
            effective = ((ContextualEscaper.Instrumented) r).source();
        }
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
        return new ParseVerdict.Parsed(new LiquidTemplate(effective, this, t));
    }

    TemplateParser parser() {
        return parser;
    }

    /** Another parsed copy of source that already passed {@link #parse}. */
    Template parseCopy(String effectiveSource) {
        return parser.parse(effectiveSource);
    }

    ParseVerdict snippet(String name) {
        return parsedSnippets.computeIfAbsent(name, n -> snippets.source(n)
                .map(this::parse)
                .orElseGet(() -> new ParseVerdict.Invalid("missing_snippet", "no snippet named '" + n + "'")));
    }

    /** A cached template for an expression fragment such as {@code {{ x | upcase }}} used by tags. */
    LiquidTemplate fragment(String source) {
        LiquidTemplate t = fragments.get(source);
        if (t == null) {
            Template parsed = parser.parse(source);
            t = fragments.computeIfAbsent(source, s -> new LiquidTemplate(s, this, parsed));
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
