package io.tessera.ingest.watermark;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The filter and the running maximum of one incremental import run: a record is taken when its
 * watermark value is at or after the stored watermark (at: the boundary is taken again and dropped
 * by message-id dedupe, so records sharing the boundary value are never lost), or when it has no
 * value (it cannot be placed; dedupe keeps it single). Values compare as numbers when both are
 * numbers, else as text, which orders ISO-8601 times written alike. Single-threaded (one run).
 */
public final class Watermark {
    private final Optional<String> from;
    private Optional<String> highest;

    /** @param from the stored watermark, empty on the first run (everything is taken) */
    public Watermark(Optional<String> from) {
        this.from = from;
        this.highest = from;
    }

    /** Whether a record with this watermark value is taken; a taken value raises {@link #highest}. */
    public boolean take(Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) {
            return true;
        }
        String v = value.get().strip();
        if (from.isPresent() && compare(v, from.get()) < 0) {
            return false;
        }
        if (highest.isEmpty() || compare(v, highest.get()) > 0) {
            highest = Optional.of(v);
        }
        return true;
    }

    /** The greatest value taken so far (or the stored watermark): the one to save once the run is durable. */
    public Optional<String> highest() {
        return highest;
    }

    /** Numbers as numbers, anything else as text. */
    public static int compare(String a, String b) {
        try {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
