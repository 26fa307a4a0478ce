package io.tessera.content.liquid;

import io.tessera.content.liquid.compiled.CompiledLiquid;
import io.tessera.content.liquid.compiled.CompiledTemplate;
import io.tessera.content.liquid.compiled.FilterSet;
import io.tessera.content.liquid.compiled.LiquidError;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;

/**
 * The compiled-engine backend of {@link LiquidEngine}: Shopify's standard filters, plus in the
 * email dialect our filters and escapers ({@link CompiledEmailFilters}) and a {@code default}
 * that also treats a whitespace-only string as empty. Snippets are instrumented by the same
 * escaper as templates before they are parsed (once, cached by the engine).
 */
final class CompiledDialect implements LiquidEngine.Backend {

    private final CompiledLiquid engine;

    CompiledDialect(LiquidEngine facade, boolean email, EmailFilters.Settings settings, InstantSource clock) {
        FilterSet filters = FilterSet.standard();
        if (email) {
            FilterSet.Builder b = filters.extend();
            CompiledEmailFilters.register(b, settings);
            filters = b.build();
        }
        this.engine = new CompiledLiquid(filters, name -> snippetSource(facade, name), clock, settings.zone());
    }

    private static Optional<String> snippetSource(LiquidEngine facade, String name) {
        return switch (facade.snippet(name)) {
            case ParseVerdict.Parsed p -> Optional.of(p.template().source());
            case ParseVerdict.Invalid i when i.code().equals("missing_snippet") -> Optional.empty();
            case ParseVerdict.Invalid i -> throw new LiquidError(i.code(), i.message());
        };
    }

    @Override
    public String name() {
        return "compiled";
    }

    @Override
    public ParseVerdict parse(String effective) {
        CompiledTemplate t;
        try {
            t = engine.parse(effective);
        } catch (LiquidError e) {
            return new ParseVerdict.Invalid(e.code(), e.getMessage());
        }
        return new ParseVerdict.Parsed(new LiquidTemplate(effective, new LiquidTemplate.Body() {
            @Override
            public String render(Map<String, Object> data) {
                return t.render(data);
            }

            @Override
            public void renderTo(Map<String, Object> data, StringBuilder out) {
                t.renderTo(data, out);
            }
        }));
    }
}
