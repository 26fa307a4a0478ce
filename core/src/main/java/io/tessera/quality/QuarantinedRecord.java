package io.tessera.quality;

import java.time.Instant;
import java.util.List;

/**
 * A record that was rejected or blocked, kept with everything needed to understand and replay it.
 *
 * @param id       store-assigned id ({@code q_…}); "" before it is stored
 * @param source   where it came from: "api", "batch", "pixel", "import", "hooks/{source}"
 * @param raw      the raw payload exactly as received (UTF-8 text; invalid bytes replaced)
 * @param reasons  why, at least one
 * @param at       when it was quarantined
 * @param status   quarantined, replayed or discarded
 */
public record QuarantinedRecord(String id, String source, String raw, List<Reason> reasons, Instant at, Status status) {
    public QuarantinedRecord {
        reasons = List.copyOf(reasons);
    }

    public enum Status { QUARANTINED, REPLAYED, DISCARDED }
}
