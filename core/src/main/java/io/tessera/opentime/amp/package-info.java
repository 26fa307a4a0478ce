/**
 * AMP for Email: {@link io.tessera.opentime.amp.AmpEmailComposer} writes the
 * {@code text/x-amp-html} part (one amp-list bound to the open-time feed, with a fallback) and
 * {@link io.tessera.opentime.amp.Amp4EmailChecker} checks AMP4EMAIL documents offline against the
 * rules our composer can touch, driven by the official validator rule file.
 */
package io.tessera.opentime.amp;
