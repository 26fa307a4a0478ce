package io.tessera.opentime;

import java.time.Instant;

/**
 * What a data source answered: a value with the time it was read at the source, or nothing
 * (timed out, circuit open, failed). Outages are values here because a feed must still answer,
 * with the declared fallback, when a source is down.
 */
public sealed interface SourceAnswer<T> {

    record Fresh<T>(T value, Instant asOf) implements SourceAnswer<T> {}

    record Unavailable<T>(String reason) implements SourceAnswer<T> {}

    static <T> SourceAnswer<T> of(T value, Instant asOf) {
        return new Fresh<>(value, asOf);
    }

    static <T> SourceAnswer<T> unavailable(String reason) {
        return new Unavailable<>(reason);
    }
}
