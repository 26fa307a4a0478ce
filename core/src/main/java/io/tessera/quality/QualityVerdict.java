package io.tessera.quality;

import io.tessera.event.Event;
import java.util.List;

/** The outcome of checking one record: accepted (possibly cleaned, with warnings) or quarantined. */
public sealed interface QualityVerdict {

    /** The record goes on, as {@code event} (normalized), with any non-blocking warnings. */
    record Accepted(Event event, List<Reason> warnings) implements QualityVerdict {
        public Accepted {
            warnings = List.copyOf(warnings);
        }
    }

    /** The record is kept in quarantine with its reasons and does not reach the log. */
    record Quarantined(List<Reason> reasons) implements QualityVerdict {
        public Quarantined {
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a quarantined record needs at least one reason");
            }
        }
    }
}
