package io.tessera.ingest;

import java.time.Duration;

/**
 * The limits a tracking-API request must respect. Defaults are Segment's documented ones
 * (32 KB per event, 500 KB per batch request, 2,500 events per batch) plus ours: how far in the
 * future a (skew-corrected) timestamp may be, and how deeply JSON may nest.
 */
public record IngestLimits(int maxEventBytes, int maxBatchBytes, int maxBatchEvents, Duration maxFutureSkew, int maxDepth) {

    public IngestLimits {
        if (maxEventBytes <= 0 || maxBatchBytes <= 0 || maxBatchEvents <= 0 || maxDepth <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("maxFutureSkew must not be negative");
        }
    }

    public static IngestLimits defaults() {
        return new IngestLimits(32 * 1024, 500 * 1024, 2_500, Duration.ofDays(1), 32);
    }
}
