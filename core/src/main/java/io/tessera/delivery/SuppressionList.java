package io.tessera.delivery;

import java.util.List;
import java.util.Optional;

/**
 * Addresses that must not be mailed (unsubscribed, hard-bounced, complained). Checked on every
 * send. Addresses are compared case-insensitively. Adapter: {@code store.sqlite.SqliteSuppressionList}.
 * Thread-safe.
 */
public interface SuppressionList extends AutoCloseable {

    /** Adds or keeps the address; the first reason recorded wins. */
    void suppress(Suppression suppression);

    Optional<Suppression> find(String address);

    default boolean isSuppressed(String address) {
        return find(address).isPresent();
    }

    List<Suppression> list(int limit);

    @Override
    void close();
}
