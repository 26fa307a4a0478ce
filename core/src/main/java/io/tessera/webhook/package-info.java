/**
 * Outbound webhooks: events Tessera tells other systems about (today segment enters and exits),
 * signed, queued durably and retried with exponential backoff, dead letters kept for inspection.
 *
 * <ul>
 *   <li>{@link io.tessera.webhook.WebhookSubscription}: where to send which event types, with the signing secret.</li>
 *   <li>{@link io.tessera.webhook.WebhookSource}: a durable, ordered feed of {@link io.tessera.webhook.WebhookEvent}s
 *       ({@link io.tessera.webhook.MembershipWebhookSource} reads the segment membership log); a new
 *       kind of event (profile changes, say) is a new source and new event types, nothing else.</li>
 *   <li>{@link io.tessera.webhook.WebhookDispatcher}: fans events out into the queue, delivers due
 *       deliveries through the {@link io.tessera.webhook.WebhookSender} port, schedules retries.</li>
 *   <li>{@link io.tessera.webhook.WebhookStore}: the port for subscriptions, the queue, cursors and dead letters.</li>
 *   <li>{@link io.tessera.webhook.WebhookSignature}, {@link io.tessera.webhook.RetrySchedule}: the signing scheme and the backoff.</li>
 * </ul>
 */
package io.tessera.webhook;
