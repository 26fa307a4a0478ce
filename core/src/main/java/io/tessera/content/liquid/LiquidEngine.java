package io.tessera.content.liquid;

import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * <p>Both dialects are strict: an unknown tag or filter, or a wrong number of filter arguments, is
 * a parse error, reported as {@link ParseVerdict.Invalid}. {@code {% render %}} snippets come from
 * a {@link SnippetSource} and are parsed once per engine. Thread-safe.
 *
 * <p>The engine behind both is our compiled one ({@code io.tessera.content.liquid.compiled}: one
 * immutable node tree per template, no pooling). liqp, the engine we started with, stays
 * available as {@link #liqpStandard}/{@link #liqpEmail} for the side-by-side conformance figure
 * and benchmark (docs/BENCHMARKS.md, "Content: compiled Liquid engine").
 */
public final class LiquidEngine {

    /** An engine that parses already-instrumented source. */
    interface Backend {
        ParseVerdict parse(String effectiveSource);

        String name();
    }

    private final boolean email;
    private final SnippetSource snippets;
    private final Backend backend;
    private final Map<String, ParseVerdict> parsedSnippets = new ConcurrentHashMap<>();

    private LiquidEngine(boolean email, SnippetSource snippets, EmailFilters.Settings settings, boolean liqp, InstantSource clock) {
        this.email = email;
        this.snippets = snippets;
        this.backend = liqp ? new LiqpEngine(this, email, snippets, settings) : new CompiledDialect(this, email, settings, clock);
    }

    /** Shopify reference semantics, no escaping; {@code "now"} in the date filter is the system clock. */
    public static LiquidEngine standard(SnippetSource snippets) {
        return standard(snippets, InstantSource.system());
    }

    /** Shopify reference semantics, no escaping; {@code "now"} comes from {@code clock}. */
    public static LiquidEngine standard(SnippetSource snippets, InstantSource clock) {
        return new LiquidEngine(false, snippets, EmailFilters.Settings.DEFAULTS, false, clock);
    }

    /** The email dialect: our filters and contextual auto-escaping of every output. */
    public static LiquidEngine email(SnippetSource snippets, EmailFilters.Settings settings) {
        return email(snippets, settings, InstantSource.system());
    }

    /** The email dialect, with {@code "now"} from {@code clock}. */
    public static LiquidEngine email(SnippetSource snippets, EmailFilters.Settings settings, InstantSource clock) {
        return new LiquidEngine(true, snippets, settings, false, clock);
    }

    /** The standard dialect on liqp (the baseline engine). */
    public static LiquidEngine liqpStandard(SnippetSource snippets) {
        return new LiquidEngine(false, snippets, EmailFilters.Settings.DEFAULTS, true, InstantSource.system());
    }

    /** The email dialect on liqp (the baseline engine). */
    public static LiquidEngine liqpEmail(SnippetSource snippets, EmailFilters.Settings settings) {
        return new LiquidEngine(true, snippets, settings, true, InstantSource.system());
    }

    public boolean escapes() {
        return email;
    }

    /** {@code compiled} or {@code liqp}. */
    public String engineName() {
        return backend.name();
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
        return backend.parse(effective);
    }

    /** A snippet for {@code {% render %}}, parsed (and in the email dialect instrumented) once. */
    ParseVerdict snippet(String name) {
        return parsedSnippets.computeIfAbsent(name, n -> snippets.source(n)
                .map(this::parse)
                .orElseGet(() -> new ParseVerdict.Invalid("missing_snippet", "no snippet named '" + n + "'")));
    }
}
