package io.tessera.quality;

import io.tessera.event.Event;

/**
 * Every record passes this before it reaches the event log, whatever its source (API, pixel,
 * webhooks, import). Pure: no I/O; configuration (tracking plans, taxonomies) is swapped in as
 * immutable snapshots. Thread-safe.
 */
@FunctionalInterface
public interface QualityPipeline {

    QualityVerdict check(Event event);

    /** Accepts everything unchanged. */
    static QualityPipeline acceptAll() {
        return e -> new QualityVerdict.Accepted(e, java.util.List.of());
    }
}
