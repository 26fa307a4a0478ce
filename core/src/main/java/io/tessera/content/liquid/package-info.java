/**
 * Liquid on liqp, in two dialects.
 *
 * <ul>
 *   <li>{@link io.tessera.content.liquid.LiquidEngine} — parses source strictly (unknown tags and
 *       filters are errors) into {@link io.tessera.content.liquid.LiquidTemplate}s, which pool parsed
 *       copies so concurrent renders never share liqp state.</li>
 *   <li>Standard dialect: Shopify semantics, measured by the golden-liquid suite; adds the Liquid 5
 *       pieces liqp 0.9 lacks ({@code render}, {@code echo}, {@code has}, {@code find}, {@code sum} …).</li>
 *   <li>Email dialect: {@link io.tessera.content.liquid.EmailFilters} (money, local_date,
 *       image_resize, safe) and contextual auto-escaping ({@code ContextualEscaper},
 *       {@link io.tessera.content.liquid.Escapes}).</li>
 * </ul>
 */
package io.tessera.content.liquid;
