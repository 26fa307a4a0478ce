package io.tessera.segment;

/**
 * A segment store refused a write for good: running it again cannot succeed (in the cluster, this
 * node was fenced out of a partition another node now owns). The {@link MembershipWriter} retries
 * other failures, never this one: it drops its queue and reports it to the engine at once.
 */
public class WriteRefusedException extends RuntimeException {
    public WriteRefusedException(String message) {
        super(message);
    }
}
