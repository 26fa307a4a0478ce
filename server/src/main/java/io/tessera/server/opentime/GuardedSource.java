package io.tessera.server.opentime;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.opentime.SourceAnswer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One data source behind a cache, a time limit and a circuit breaker.
 *
 * <p>Implementation notes. An {@link AsyncLoadingCache} holds {@code (value, asOf)} per key with
 * {@code expireAfterWrite = staleness limit} and {@code refreshAfterWrite = limit / 2}: a hit in
 * the second half of its life is served at once and reloaded in the background, so hot keys are
 * never older than the limit and never wait. A miss loads through the circuit breaker and the
 * {@link TimeLimiter}; the caller waits at most the source timeout, then gets
 * {@link SourceAnswer.Unavailable} (and the feed its fallback) while the load may still finish
 * and fill the cache for the next open. A backend's "unavailable" answer or exception is a
 * failure: it is not cached, it counts towards opening the breaker, and it increments
 * {@code tessera.opentime.source.failures{source, reason}}. Loads run on virtual threads.
 * Thread-safe (Caffeine and Resilience4j are).
 */
final class GuardedSource<K, V> {
    private final String name;
    private final AsyncLoadingCache<K, SourceAnswer.Fresh<V>> cache;
    private final Duration timeout;
    private final MeterRegistry metrics;
    private final Duration limit;
    private final InstantSource clock;

    GuardedSource(String name, Function<K, SourceAnswer<V>> backend, Duration limit, Duration timeout,
                  InstantSource clock, Executor executor, ScheduledExecutorService scheduler, MeterRegistry metrics) {
        this.name = name;
        this.timeout = timeout;
        this.limit = limit;
        this.clock = clock;
        this.metrics = metrics;
        CircuitBreaker breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowSize(20).minimumNumberOfCalls(10).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10)).permittedNumberOfCallsInHalfOpenState(3)
                .build());
        TimeLimiter limiter = TimeLimiter.of(TimeLimiterConfig.custom().timeoutDuration(timeout).cancelRunningFuture(true).build());
        Caffeine<Object, Object> builder = Caffeine.newBuilder()
                .maximumSize(limit.isPositive() ? 200_000 : 0)
                .executor(executor)
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                });
        if (limit.isPositive()) {
            builder.expireAfterWrite(limit).refreshAfterWrite(limit.dividedBy(2).isPositive() ? limit.dividedBy(2) : limit);
        }
        this.cache = builder.buildAsync((key, exec) -> breaker.executeCompletionStage(
                () -> limiter.executeCompletionStage(scheduler,
                        () -> CompletableFuture.supplyAsync(() -> fresh(backend.apply(key)), exec)))
                .toCompletableFuture());
    }

    /**
     * The cached or loaded answer. An entry older than the limit is dropped and loaded again even if
     * the cache still holds it: Caffeine stamps an async entry's write time when its future
     * completes, which can be later than the answer's {@code asOf}.
     */
    SourceAnswer<V> get(K key) {
        SourceAnswer<V> a = load(key);
        if (a instanceof SourceAnswer.Fresh<V> f && limit.isPositive() && f.asOf().plus(limit).isBefore(clock.instant())) {
            cache.synchronous().invalidate(key);
            a = load(key);
        }
        return a;
    }

    private SourceAnswer<V> load(K key) {
        try {
            return cache.get(key).get(timeout.toMillis() + 50, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return failed("timeout");
        } catch (ExecutionException e) {
            return failed(reason(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted");
        }
    }

    private SourceAnswer<V> failed(String reason) {
        metrics.counter("tessera.opentime.source.failures", "source", name, "reason", reason).increment();
        return SourceAnswer.unavailable(reason);
    }

    private static String reason(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return switch (cause) {
            case TimeoutException x -> "timeout";
            case io.github.resilience4j.circuitbreaker.CallNotPermittedException x -> "circuit_open";
            case SourceDown x -> "unavailable";
            default -> "error";
        };
    }

    private static <V> SourceAnswer.Fresh<V> fresh(SourceAnswer<V> answer) {
        return switch (answer) {
            case SourceAnswer.Fresh<V> f -> f;
            case SourceAnswer.Unavailable<V> u -> throw new SourceDown(u.reason());
        };
    }

    /** A backend answered "unavailable": a failure for the breaker, never cached. */
    static final class SourceDown extends RuntimeException {
        SourceDown(String reason) {
            super(reason, null, false, false);
        }
    }
}
