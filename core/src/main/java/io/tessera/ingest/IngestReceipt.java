package io.tessera.ingest;

import io.tessera.quality.Reason;
import java.util.List;

/**
 * The answer to an ingested request once everything accepted is durable.
 *
 * @param accepted   events now in the log (stored or already there)
 * @param duplicates of those, how many the log had already stored (same messageId)
 * @param rejected   events not taken, by their index in the request, with reasons (they are in the quarantine)
 */
public record IngestReceipt(int accepted, int duplicates, List<Rejection> rejected) {
    public IngestReceipt {
        rejected = List.copyOf(rejected);
    }

    /** One event of a request that was rejected or quarantined. */
    public record Rejection(int index, List<Reason> reasons) {
        public Rejection {
            reasons = List.copyOf(reasons);
        }
    }
}
