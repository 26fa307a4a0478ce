package io.tessera.delivery;

/**
 * Called by a {@link Mailer} before each attempt's point of no return, immediately before the step after which
 * the message cannot be taken back (for SMTP: before the final {@code "."} of DATA; for the
 * outbox: before the insert). The send ledger records this durably, so a crash before it means
 * "certainly not sent" and a crash after it means "sent, or lost in the same instant".
 *
 * <p>Must be idempotent (a retried attempt calls it again). If it throws, the mailer must abort
 * the message without committing it.
 */
@FunctionalInterface
public interface CommitPoint {

    void reached();

    CommitPoint NONE = () -> { };
}
