/**
 * Bounces and complaints: what a failed or unwanted delivery means, whichever way it came back.
 *
 * <ul>
 *   <li>{@link io.tessera.delivery.bounce.SmtpStatus}: a reply code and RFC 3463 enhanced status, parsed
 *       from an SMTP reply or a DSN's {@code Status} / {@code Diagnostic-Code}, and what kind of bounce it is.</li>
 *   <li>{@link io.tessera.delivery.bounce.Bounce}: one bounce or complaint for one address, from the
 *       relay's reply, a DSN in a mailbox, or a webhook.</li>
 *   <li>{@link io.tessera.delivery.bounce.BounceRecorder}: the one place a bounce takes effect: finds the
 *       (campaign, profile) by Message-ID in the send ledger, suppresses hard bounces and complaints,
 *       marks an accepted message BOUNCED, and reports the event.</li>
 *   <li>Port {@link io.tessera.delivery.bounce.BounceEvents}: turns a bounce into an event on the profile
 *       (the server does it through the normal ingestion, so segments and stats see it).</li>
 * </ul>
 * Parsing DSN messages and mailboxes is the {@code delivery} module's {@code delivery.bounce}.
 */
package io.tessera.delivery.bounce;
