/**
 * Open-time personalization: content decided when the email is opened, safely and fast.
 *
 * <ul>
 *   <li>{@link io.tessera.opentime.FeedDeclaration}, {@link io.tessera.opentime.FeedField},
 *       {@link io.tessera.opentime.ImageSlot} — what a template's feed and live images may reveal,
 *       each field with its {@link io.tessera.opentime.DataClass} and fallback.</li>
 *   <li>{@link io.tessera.opentime.FeedResolver} — builds a {@link io.tessera.opentime.ResolvedFeed}
 *       and chooses an {@link io.tessera.opentime.ImageDecision} from declared sources only,
 *       serving fallbacks when a source is down or older than its
 *       {@link io.tessera.opentime.StalenessLimits staleness limit}.</li>
 *   <li>Ports: {@link io.tessera.opentime.ProfileFacts}, {@link io.tessera.opentime.ProductCatalog},
 *       {@link io.tessera.opentime.Recommendations} (answers as {@link io.tessera.opentime.SourceAnswer}),
 *       {@link io.tessera.opentime.FeedCatalog}.</li>
 *   <li>{@link io.tessera.opentime.OpenTimeTokens} — feed and live-image tokens: tracking tokens
 *       ({@link io.tessera.tracking.TrackingToken}) bound to a use and a template.</li>
 *   <li>{@link io.tessera.opentime.ImageUrls} — the redirect allow-list rule.</li>
 *   <li>{@code io.tessera.opentime.amp} — the AMP for Email part bound to the feed, and an offline
 *       checker for the AMP4EMAIL rules that part can touch.</li>
 * </ul>
 * The HTTP side (caches, time limits, circuit breakers, CORS, rate limits) is in
 * {@code io.tessera.server.opentime}.
 */
package io.tessera.opentime;
