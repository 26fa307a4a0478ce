package io.tessera.server.ops;

import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tessera.server.DrainGate;
import io.tessera.server.ErrorMapper;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Operations endpoints: {@code /healthz} (the process answers), {@code /readyz} (storage open and
 * not draining: a load balancer may send traffic) and {@code /metrics} (Prometheus text format).
 */
public final class OperationsRoutes {
    private final PrometheusMeterRegistry registry;
    private final DrainGate gate;
    private final BooleanSupplier storageReady;
    private final ErrorMapper errors;

    public OperationsRoutes(PrometheusMeterRegistry registry, DrainGate gate, BooleanSupplier storageReady, ErrorMapper errors) {
        this.registry = registry;
        this.gate = gate;
        this.storageReady = storageReady;
        this.errors = errors;
    }

    public void register(RoutesConfig routes) {
        routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        routes.get("/readyz", ctx -> {
            if (!gate.isOpen()) {
                errors.write(ctx, "shutting_down", "draining before shutdown", List.of());
            } else if (!storageReady.getAsBoolean()) {
                errors.write(ctx, "unavailable", "storage is not ready", List.of());
            } else {
                ctx.json(Map.of("status", "ready"));
            }
        });
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    }
}
