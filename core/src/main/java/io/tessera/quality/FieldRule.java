package io.tessera.quality;

import java.util.Objects;

/**
 * A check on the values at one path of an event: {@code properties.email}, {@code traits.phone},
 * {@code context.traits.email}, {@code properties.products[].sku} ({@code []} walks every element
 * of an array). {@code onInvalid} says what an invalid value does to the event.
 */
public record FieldRule(String path, Check check, OnInvalid onInvalid) {

    public enum Check { EMAIL, PHONE, TIMESTAMP, CURRENCY, AMOUNT, SKU, CATEGORY }

    /** QUARANTINE the event, WARN and keep the raw value, or DROP the value with a warning. */
    public enum OnInvalid { QUARANTINE, WARN, DROP }

    public FieldRule {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(onInvalid, "onInvalid");
        if (!path.matches("(properties|traits|context)(\\.[^.\\[\\]]+(\\[\\])?)+")) {
            throw new IllegalArgumentException("a field path starts with properties, traits or context, e.g. traits.email: " + path);
        }
    }
}
