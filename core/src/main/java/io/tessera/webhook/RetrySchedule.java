package io.tessera.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Exponential backoff: after the n-th failed attempt the next one is {@code base × 2^(n-1)} later,
 * capped at {@code max}; after {@code maxAttempts} attempts the delivery is dead.
 * The defaults (10 s, 1 h, 12 attempts) keep trying for about six hours.
 */
public record RetrySchedule(Duration base, Duration max, int maxAttempts) {
    public RetrySchedule {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("retry schedule needs 0 < base <= max and maxAttempts >= 1");
        }
    }

    public static RetrySchedule defaults() {
        return new RetrySchedule(Duration.ofSeconds(10), Duration.ofHours(1), 12);
    }

    /** When to try again after {@code attempts} failed attempts, or empty when the delivery is dead. */
    public Optional<Instant> next(int attempts, Instant now) {
        if (attempts >= maxAttempts) {
            return Optional.empty();
        }
        int shift = Math.min(attempts - 1, 30);
        Duration wait = base.multipliedBy(1L << shift);
        return Optional.of(now.plus(wait.compareTo(max) > 0 ? max : wait));
    }
}
