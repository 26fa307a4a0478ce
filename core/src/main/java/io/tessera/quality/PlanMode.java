package io.tessera.quality;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a tracking plan does with an event that breaks it. Wire names: allow, block, drop-properties. */
public enum PlanMode {
    /** Accept; violations become warnings on the verdict. */
    ALLOW,
    /** Quarantine the event with the violations as reasons. */
    BLOCK,
    /** Strip properties the schema does not declare (warning each), then treat other violations as ALLOW. */
    DROP_PROPERTIES;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<PlanMode> fromWire(String s) {
        return Arrays.stream(values()).filter(m -> m.wireName().equals(s)).findFirst();
    }
}
