package io.tessera.ingest.pull;

import java.util.Optional;

/** Asks a pull's endpoint for the page after a cursor (port; the server's adapter speaks HTTP). */
public interface PageFetcher {
    /**
     * @return the response body of a successful (2xx) answer
     * @throws PullFailure when the endpoint cannot be reached or answers otherwise
     */
    byte[] fetch(PullSource source, Optional<String> cursor) throws PullFailure;

    /** The endpoint did not give a page; the message says why (status, timeout, …), never a secret. */
    final class PullFailure extends Exception {
        public PullFailure(String message) {
            super(message, null, false, false);
        }
    }
}
