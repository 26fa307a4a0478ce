/**
 * Our compiled Liquid engine: {@link io.tessera.content.liquid.compiled.CompiledLiquid} parses
 * source once (lexer → tag parser → expression parser) into an immutable tree of Java nodes —
 * lookups with constant keys, literals, ranges, filters bound to Java functions with their
 * arities checked — and {@link io.tessera.content.liquid.compiled.CompiledTemplate} renders it
 * into a {@code StringBuilder} with a per-render {@link io.tessera.content.liquid.compiled.RenderContext}.
 * Semantics follow Shopify's reference implementation (checked by the golden-liquid suite);
 * the standard filters are in {@code StringFilters}, {@code ListFilters}, {@code MathFilters} and
 * {@link io.tessera.content.liquid.compiled.Strftime}. No I/O; "now" comes from an injected clock.
 */
package io.tessera.content.liquid.compiled;
