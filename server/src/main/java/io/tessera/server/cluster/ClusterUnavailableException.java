package io.tessera.server.cluster;

/**
 * Cluster mode cannot start: Kafka or PostgreSQL is not configured or does not answer. The message
 * says which, where it was looked for, and which setting to fix; the CLI prints it as it is.
 */
public final class ClusterUnavailableException extends RuntimeException {
    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ClusterUnavailableException(String message) {
        super(message);
    }
}
