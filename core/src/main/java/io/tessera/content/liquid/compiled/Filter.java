package io.tessera.content.liquid.compiled;

import java.util.Map;

/**
 * A Liquid filter bound at parse time: {@code input | name: args…, key: value}. Implementations
 * are stateless and thread-safe; anything per render comes from the {@link RenderContext}.
 * Throw {@link LiquidError} for a value the filter cannot take.
 */
@FunctionalInterface
public interface Filter {

    Object apply(Object input, Object[] args, Map<String, Object> kwargs, RenderContext ctx);
}
