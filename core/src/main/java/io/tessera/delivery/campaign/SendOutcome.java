package io.tessera.delivery.campaign;

import java.time.Instant;

/** What happened to one (campaign, profile) when the send pipeline ran for it. */
public sealed interface SendOutcome {

    /** The relay (or outbox) accepted it. */
    record Sent(String messageId, String arm) implements SendOutcome {}

    /** The relay refused it for good (5xx); the address is now suppressed when the reply says it does not exist. */
    record Bounced(String messageId, int code, String reply) implements SendOutcome {}

    /** Not now: a 4xx after retries, or the recipient's local send time / quiet hours; try again at or after {@code notBefore}. */
    record Deferred(String reason, Instant notBefore) implements SendOutcome {}

    /** Deliberately not sent: holdout, suppressed, no address, frequency cap, left segment, render failure. */
    record Skipped(String code) implements SendOutcome {}

    /** The ledger already holds this (campaign, profile): nothing was sent again. */
    record AlreadyHandled() implements SendOutcome {}
}
