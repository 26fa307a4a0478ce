/**
 * Delivery: the ports between a rendered message and the outside world.
 *
 * <ul>
 *   <li>{@link io.tessera.delivery.OutgoingMessage}: one personalized message ready to send.</li>
 *   <li>{@link io.tessera.delivery.Mailer} (port) and its {@link io.tessera.delivery.DeliveryVerdict}:
 *       delivered / temporary failure (4xx) / permanent failure (5xx); {@link io.tessera.delivery.CommitPoint}
 *       marks the point of no return.</li>
 *   <li>{@link io.tessera.delivery.SendLedger} (port): at most one message per (campaign, profile), across crashes.</li>
 *   <li>{@link io.tessera.delivery.SuppressionList} (port): unsubscribes, hard bounces, complaints.</li>
 *   <li>{@link io.tessera.delivery.Outbox} (port): the embedded default's captured mail.</li>
 *   <li>{@code campaign}: campaign definitions, audience assignment (holdout, variants), send-time
 *       rules and the per-recipient send pipeline.</li>
 * </ul>
 * The adapters live in the {@code delivery} module (SMTP, outbox) and {@code store} (SQLite).
 */
package io.tessera.delivery;
