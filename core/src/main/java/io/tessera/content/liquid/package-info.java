/**
 * Liquid for templates, in two dialects, on our compiled engine (liqp kept as the baseline).
 *
 * <ul>
 *   <li>{@link io.tessera.content.liquid.LiquidEngine} — parses source strictly (unknown tags and
 *       filters, wrong filter arities are errors) into thread-safe
 *       {@link io.tessera.content.liquid.LiquidTemplate}s. The default backend is the compiled
 *       engine of {@code io.tessera.content.liquid.compiled}; {@code liqpStandard}/{@code liqpEmail}
 *       give liqp (templates pooled, as liqp's are not thread-safe) for side-by-side figures.</li>
 *   <li>Standard dialect: Shopify semantics, measured by the golden-liquid suite.</li>
 *   <li>Email dialect: our filters (money, local_date, image_resize, safe — {@code EmailFilters} on
 *       liqp, {@code CompiledEmailFilters} on the compiled engine) and contextual auto-escaping
 *       ({@code ContextualEscaper}, {@link io.tessera.content.liquid.Escapes}).</li>
 * </ul>
 */
package io.tessera.content.liquid;
