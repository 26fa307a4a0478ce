package io.tessera.content.liquid.compiled;

import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Our Liquid engine: parses source once into an immutable tree of Java nodes (expressions
 * resolved to lookups and literals, filters bound to their functions, arities checked) that
 * renders into a {@link StringBuilder}. Strict: unknown tags and filters are parse errors.
 * Snippets for {@code render}/{@code include} come from a source function and are parsed once
 * per engine. Thread-safe; templates need no pooling.
 */
public final class CompiledLiquid {

    private final FilterSet filters;
    private final Function<String, Optional<String>> snippets;
    private final InstantSource clock;
    private final ZoneId zone;
    private final Map<String, Object> parsedSnippets = new ConcurrentHashMap<>();

    /**
     * @param clock what {@code "now"} means in the {@code date} filter
     * @param zone  the zone of dates that carry none (timestamps, date-only strings)
     */
    public CompiledLiquid(FilterSet filters, Function<String, Optional<String>> snippets, InstantSource clock, ZoneId zone) {
        this.filters = filters;
        this.snippets = snippets;
        this.clock = clock;
        this.zone = zone;
    }

    Instant now() {
        return clock.instant();
    }

    ZoneId zone() {
        return zone;
    }

    /** Parses source; throws {@link LiquidError} (code and line) when the template is invalid. */
    public CompiledTemplate parse(String source) {
        return new CompiledTemplate(this, TemplateParser.parse(source, filters), source);
    }

    /** A parsed snippet (cached, including a parse failure, which is raised at each use). */
    CompiledTemplate snippet(String name) {
        Object v = parsedSnippets.computeIfAbsent(name, n -> {
            try {
                Optional<String> src = snippets.apply(n);
                if (src.isEmpty()) {
                    return new LiquidError("missing_snippet", "no snippet named '" + n + "'");
                }
                return parse(src.get());
            } catch (LiquidError e) {
                return new LiquidError(e.code(), "snippet '" + n + "': " + e.getMessage());
            }
        });
        if (v instanceof LiquidError e) {
            throw new LiquidError(e.code(), e.getMessage());
        }
        return (CompiledTemplate) v;
    }
}
