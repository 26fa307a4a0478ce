package io.tessera.delivery;

import java.util.Optional;

/**
 * Hands one message to the outside world: an SMTP relay ({@code delivery.smtp.SmtpMailer}) or the
 * embedded outbox ({@code delivery.outbox.OutboxMailer}). Thread-safe; blocks until the verdict.
 */
public interface Mailer extends AutoCloseable {

    /**
     * Sends, retrying temporary failures as configured, and returns the final verdict. Calls
     * {@code commit} just before each attempt's point of no return (see {@link CommitPoint}); a
     * message that never reached it was certainly not accepted.
     */
    DeliveryVerdict send(OutgoingMessage message, CommitPoint commit);

    /**
     * Whether a message with this Message-ID was accepted, when the mailer can know it (the
     * outbox can; an SMTP relay cannot be asked). Used to reconcile the ledger after a crash.
     */
    default Optional<Boolean> wasAccepted(String messageId) {
        return Optional.empty();
    }

    @Override
    default void close() {
    }
}
