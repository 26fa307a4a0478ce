package io.tessera.server.ingest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.ingest.IngestReceipt;
import io.tessera.ingest.Ingestor;
import io.tessera.ingest.hook.HookReceiver;
import io.tessera.ingest.hook.HookSource;
import io.tessera.ingest.hook.HookSourceCodec;
import io.tessera.ingest.hook.HookSourceStore;
import io.tessera.server.ApiException;
import io.tessera.server.DrainGate;
import io.tessera.server.Json;
import io.tessera.server.JsonBodies;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import tools.jackson.databind.JsonNode;

/**
 * Inbound webhooks: {@code POST /hooks/{source}} (signed by the source; see
 * {@link io.tessera.ingest.hook.HookSignature}) and their configuration under the admin API,
 * {@code PUT|GET|DELETE /api/v1/hooks/{source}} and {@code GET /api/v1/hooks}. The answer to a
 * webhook is the ingestion answer ({@link IngestRoutes#answer}), given once the accepted events are
 * durable; a source's secret is write-only.
 */
public final class HookRoutes {
    private final HookSourceStore sources;
    private final HookReceiver receiver;
    private final Ingestor ingestor;
    private final DrainGate gate;
    private final IngestMetrics metrics;
    private final Json json;

    public HookRoutes(HookSourceStore sources, Ingestor ingestor, InstantSource clock, DrainGate gate, MeterRegistry registry, Json json) {
        this.sources = sources;
        this.receiver = new HookReceiver(sources, ingestor, clock);
        this.ingestor = ingestor;
        this.gate = gate;
        this.metrics = new IngestMetrics(registry);
        this.json = json;
    }

    public void register(RoutesConfig routes) {
        routes.post("/hooks/{source}", this::receive);
        routes.get("/api/v1/hooks", ctx -> ctx.json(Map.of("sources", sources.list().stream().map(HookSourceCodec::toPublicJson).toList())));
        routes.get("/api/v1/hooks/{source}", ctx -> ctx.json(HookSourceCodec.toPublicJson(source(ctx))));
        routes.put("/api/v1/hooks/{source}", this::save);
        routes.delete("/api/v1/hooks/{source}", ctx -> {
            if (!sources.delete(ctx.pathParam("source"))) {
                throw new ApiException("not_found", "no webhook source named " + ctx.pathParam("source"));
            }
            ctx.status(204);
        });
    }

    private HookSource source(Context ctx) {
        return sources.get(ctx.pathParam("source"))
                .orElseThrow(() -> new ApiException("not_found", "no webhook source named " + ctx.pathParam("source")));
    }

    private void save(Context ctx) {
        JsonNode body = JsonBodies.read(ctx);
        String name = ctx.pathParam("source");
        HookSource source;
        try {
            source = HookSourceCodec.fromJson(name, body, sources.get(name).map(HookSource::secret));
        } catch (IllegalArgumentException e) {
            throw new ApiException("invalid_hook_source", e.getMessage());
        }
        sources.save(source);
        ctx.json(HookSourceCodec.toPublicJson(source));
    }

    private void receive(Context ctx) {
        if (!gate.enter()) {
            throw new ApiException("shutting_down", "the server is shutting down; retry later");
        }
        try {
            byte[] body = IngestRoutes.body(ctx, ingestor, metrics);
            switch (receiver.receive(ctx.pathParam("source"), name -> Optional.ofNullable(ctx.header(name)), body)) {
                case HookReceiver.Outcome.Refused r -> {
                    metrics.rejected(r.code());
                    throw new ApiException(r.code(), r.message());
                }
                case HookReceiver.Outcome.Taken t -> {
                    IngestReceipt receipt;
                    try {
                        receipt = t.receipt().join();
                    } catch (CompletionException e) {
                        throw new ApiException("unavailable", "the event log could not store the events; retry: " + e.getCause().getMessage());
                    }
                    metrics.receipt(receipt);
                    IngestRoutes.answer(ctx, json, receipt, true);
                }
            }
        } finally {
            gate.exit();
        }
    }
}
