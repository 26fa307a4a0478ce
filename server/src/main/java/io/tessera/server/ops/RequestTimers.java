package io.tessera.server.ops;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server's request logger: one {@code tessera.http.requests} timer per method, route and
 * status. Timers are looked up in a map of their own instead of being built and registered per
 * request (a builder, tag list and registry lookup on every request of the hot open-time paths).
 * Thread-safe.
 */
public final class RequestTimers {
    private record Key(String method, String route, int status) {}

    private final MeterRegistry metrics;
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

    public RequestTimers(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** For {@code cfg.requestLogger.http(timers::record)}. */
    public void record(Context ctx, Float ms) {
        Endpoint e = ctx.endpoints().lastHttpEndpoint();
        Key key = new Key(ctx.method().name(), e == null ? "unmatched" : e.path, ctx.statusCode());
        timers.computeIfAbsent(key, k -> Timer.builder("tessera.http.requests").tag("method", k.method()).tag("route", k.route())
                .tag("status", Integer.toString(k.status())).register(metrics)).record((long) (ms * 1_000_000), TimeUnit.NANOSECONDS);
    }
}
