/**
 * Unified customer profiles.
 *
 * <ul>
 *   <li>{@link io.tessera.profile.Profile}: the immutable snapshot of one customer.</li>
 *   <li>{@link io.tessera.profile.Identity}: the identifiers the identity graph links.</li>
 *   <li>{@link io.tessera.profile.ProfileStore}: durable profile state (port).</li>
 * </ul>
 */
package io.tessera.profile;
