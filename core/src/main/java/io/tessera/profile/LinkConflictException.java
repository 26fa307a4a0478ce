package io.tessera.profile;

/**
 * A {@link ProfileStore#commit} would have taken an identity from a profile the commit does not
 * write: another partition's engine linked it concurrently (two partitions saw a new identity at
 * once). Nothing of the commit is written; the engine retries the batch, now finds the identity's
 * owner and merges by the cross-partition protocol.
 */
public final class LinkConflictException extends RuntimeException {
    public LinkConflictException(String message) {
        super(message);
    }
}
