package io.tessera.event;

import java.util.Locale;
import java.util.Optional;

/** The six call types of the tracking API (Segment's spec), named as on the wire. */
public enum EventType {
    TRACK, IDENTIFY, PAGE, SCREEN, GROUP, ALIAS;

    /** The lower-case name used on the wire and in {@code /v1/{type}}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EventType> fromWire(String name) {
        for (EventType t : values()) {
            if (t.wireName().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
