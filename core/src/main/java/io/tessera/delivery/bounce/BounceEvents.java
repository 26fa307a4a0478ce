package io.tessera.delivery.bounce;

import io.tessera.delivery.SendKey;
import java.util.Optional;

/**
 * Turns a bounce into an event on the recipient's profile ({@code "Email Bounced"}, or
 * {@code "Email Marked as Spam"} for a complaint), so segments and later campaigns can use it.
 * The server's adapter appends it through the normal ingestion. Must be idempotent for the same
 * bounce (re-importing a mailbox must not double-count). Thread-safe.
 */
@FunctionalInterface
public interface BounceEvents {

    /**
     * @param key the (campaign run, profile) the bounce belongs to, when known; otherwise the
     *            adapter may find the profile by {@link Bounce#address()}
     */
    void record(Bounce bounce, Optional<SendKey> key);

    BounceEvents NONE = (bounce, key) -> { };
}
