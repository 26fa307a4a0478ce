/**
 * Content: what a recipient sees, right for every person and never broken.
 *
 * <ul>
 *   <li>{@link io.tessera.content.EmailTemplate} — an immutable template version: subject, preheader,
 *       MJML or HTML layout, ordered blocks with declared inputs, variants and fallbacks.</li>
 *   <li>{@link io.tessera.content.EmailCompiler} — once per version: MJML → HTML, cut into layout
 *       pieces and block slots, each parsed by the escaping Liquid dialect.</li>
 *   <li>{@link io.tessera.content.EmailRenderer} — per recipient: content rules
 *       ({@link io.tessera.content.ContentCondition}, CEL via {@link io.tessera.content.SegmentContentConditions}),
 *       defaults, fallbacks, CSS inlining, tracked links, open pixel, plain text, RFC 8058 headers and
 *       the final check; produces a {@link io.tessera.content.RenderedMessage}.</li>
 *   <li>{@link io.tessera.content.RenderErrors} — render errors per template version.</li>
 * </ul>
 * Subpackages: {@code liquid} (the Liquid engine), {@code recommend} (recommendations),
 * {@code lint} (email-client and fallback-coverage checks).
 */
package io.tessera.content;
