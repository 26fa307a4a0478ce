/**
 * Tracking: {@link io.tessera.tracking.TrackingToken}, the signed, expiring tokens behind the open
 * pixel, click redirects, one-click unsubscribe and open-time URLs (HMAC-SHA256, key rotation by
 * key id, target-URL binding for clicks). The HTTP endpoints live in the server module.
 */
package io.tessera.tracking;
