package io.tessera.ingest.pull;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a pull stands: its cursor (advanced only after a page's records are durable), the last
 * run, the last error (cleared by a successful run) and how many new records it has taken in all
 * (events accepted that were not duplicates, plus records quarantined).
 */
public record PullState(Optional<String> cursor, Optional<Instant> lastRun, Optional<String> lastError, long records) {
    public static final PullState NEW = new PullState(Optional.empty(), Optional.empty(), Optional.empty(), 0);
}
