/**
 * HTTP side of open-time personalization: {@link io.tessera.server.opentime.OpenTimeRoutes} (feeds,
 * the amp-list endpoint with AMP for Email CORS, live images), the cached and guarded data
 * sources ({@link io.tessera.server.opentime.CachedFeedSources}: Caffeine with per-class staleness,
 * Resilience4j time limits and circuit breakers), per-token and per-address limits, and the HTTPS
 * listener ({@link io.tessera.server.opentime.HttpsConnector}).
 */
package io.tessera.server.opentime;
