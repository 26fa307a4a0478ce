/**
 * Unified customer profiles: the event log applied to people.
 *
 * <ul>
 *   <li>{@link io.tessera.profile.Profile}: the immutable snapshot of one customer (identities,
 *       traits with the event time that set them, per-event aggregates, recent timeline).</li>
 *   <li>{@link io.tessera.profile.Identity}, {@link io.tessera.profile.IdentityKind}: the identifiers
 *       the identity graph links (userId, anonymousId, email, phone).</li>
 *   <li>{@link io.tessera.profile.ProfileEngine}: applies log batches — identity resolution,
 *       anonymous → known merges (never joining two userIds), traits by event time, aggregates —
 *       one durable commit per batch; rules in {@code BatchApplication} and {@code ProfileState}.</li>
 *   <li>{@link io.tessera.profile.ProfileChangeListener}, {@link io.tessera.profile.ProfileChange}:
 *       how later stages (segments) hear about changes, after they are durable.</li>
 *   <li>{@link io.tessera.profile.MergeReversal}: an admin's reversal of a merge, by replaying the
 *       survivor's history with the pair separated ({@code Separations}, kept by the store).</li>
 *   <li>{@link io.tessera.profile.ProfileRebuild}: {@code tessera rebuild}, a replay of the whole log.</li>
 *   <li>{@link io.tessera.profile.ProfileStore}: durable profile state (port);
 *       {@link io.tessera.profile.ProfileCodec}: its shared JSON form.</li>
 * </ul>
 */
package io.tessera.profile;
