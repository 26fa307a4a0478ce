package io.tessera.server.ingest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tessera.event.EventType;
import io.tessera.ingest.IngestReceipt;
import io.tessera.ingest.Ingestor;
import io.tessera.ingest.RequestVerdict;
import io.tessera.quality.Reason;
import io.tessera.server.ApiException;
import io.tessera.server.DrainGate;
import io.tessera.server.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * The Segment-compatible ingestion endpoints: {@code POST /v1/track|identify|page|screen|group|alias|batch}.
 *
 * <p>The body is read as bytes and parsed by {@link io.tessera.ingest.TrackingApiParser} straight
 * from the token stream (no reflection-based body mapping). The handler blocks on the durable
 * append: Javalin runs it on a virtual thread, so a waiting request costs no platform thread, and
 * the log's group commit batches the waiting requests into one fsync.
 *
 * <p>Cross-origin: every {@code /v1/*} answer allows any origin and preflight requests are answered,
 * so browser libraries can post from any website.
 *
 * <p>Answers: 200 {@code {"success":true}} when every event was taken; 200 with
 * {@code "rejected":[{index,code,pointer,message}]} when a batch was taken in part (the good events
 * are durable, the bad ones quarantined); a 4xx error when nothing was taken.
 */
public final class IngestRoutes {
    private static final byte[] SUCCESS = "{\"success\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final Ingestor ingestor;
    private final WriteKeys writeKeys;
    private final DrainGate gate;
    private final IngestMetrics metrics;
    private final Json json;

    public IngestRoutes(Ingestor ingestor, List<String> writeKeys, DrainGate gate, MeterRegistry registry, Json json) {
        this.ingestor = ingestor;
        this.writeKeys = new WriteKeys(writeKeys);
        this.gate = gate;
        this.metrics = new IngestMetrics(registry);
        this.json = json;
    }

    public void register(RoutesConfig routes) {
        for (EventType t : EventType.values()) {
            routes.post("/v1/" + t.wireName(), ctx -> handle(ctx, Optional.of(t)));
        }
        routes.post("/v1/batch", ctx -> handle(ctx, Optional.empty()));
        // CORS, as Segment's API answers it: browsers (tessera.js, analytics.js) post from any site
        routes.before("/v1/*", ctx -> ctx.header("Access-Control-Allow-Origin", "*"));
        routes.options("/v1/*", ctx -> ctx.status(204)
                .header("Access-Control-Allow-Methods", "POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "Authorization, Content-Type, Content-Encoding")
                .header("Access-Control-Max-Age", "86400"));
        routes.post("/v1/import", ctx -> handle(ctx, Optional.empty()));
    }

    private void handle(Context ctx, Optional<EventType> call) {
        if (!gate.enter()) {
            throw new ApiException("shutting_down", "the server is shutting down; retry on another node or later");
        }
        try {
            Optional<String> headerKey = WriteKeys.fromHeader(ctx.header("Authorization"));
            if (headerKey.isPresent()) {
                checkKey(headerKey);
            }
            RequestVerdict verdict = ingestor.parse(call, body(ctx), "api");
            if (verdict instanceof RequestVerdict.Invalid invalid) {
                metrics.rejected(invalid.reason());
                throw ApiException.of(invalid.reason());
            }
            RequestVerdict.Parsed parsed = (RequestVerdict.Parsed) verdict;
            if (headerKey.isEmpty()) {
                checkKey(parsed.writeKey());
            }
            IngestReceipt receipt = append(parsed, call.isEmpty() ? "batch" : "api");
            metrics.receipt(receipt);
            answer(ctx, json, receipt, call.isEmpty());
        } finally {
            gate.exit();
        }
    }

    /** The request body, inflated when the client gzipped it (RudderStack's SDK does by default). */
    private byte[] body(Context ctx) {
        return body(ctx, ingestor, metrics);
    }

    static byte[] body(Context ctx, Ingestor ingestor, IngestMetrics metrics) {
        try {
            return RequestBodies.decode(ctx.header("Content-Encoding"), ctx.bodyAsBytes(), ingestor.limits().maxBatchBytes() + 1);
        } catch (ApiException e) {
            metrics.rejected(e.code());
            throw e;
        }
    }

    private void checkKey(Optional<String> key) {
        try {
            writeKeys.check(key);
        } catch (ApiException e) {
            metrics.rejected(e.code());
            throw e;
        }
    }

    private IngestReceipt append(RequestVerdict.Parsed parsed, String source) {
        Timer.Sample sample = Timer.start();
        try {
            return ingestor.ingest(parsed, source).join();
        } catch (CompletionException e) {
            throw new ApiException("unavailable", "the event log could not store the events; retry: " + e.getCause().getMessage());
        } finally {
            sample.stop(metrics.appendTimer());
        }
    }

    /**
     * Writes the answer to an ingestion request (shared with the webhook route): 200
     * {@code {"success":true}}; 200 with the rejected items when some were taken; the first
     * rejection as a 4xx error when nothing was.
     */
    static void answer(Context ctx, Json json, IngestReceipt receipt, boolean batch) {
        if (receipt.rejected().isEmpty()) {
            ctx.contentType("application/json").result(SUCCESS);
            return;
        }
        List<Object> details = new ArrayList<>();
        for (IngestReceipt.Rejection r : receipt.rejected()) {
            for (Reason reason : r.reasons()) {
                Map<String, Object> d = new LinkedHashMap<>();
                if (batch) {
                    d.put("index", r.index());
                }
                d.put("code", reason.code());
                d.put("pointer", reason.pointer());
                d.put("message", reason.message());
                details.add(d);
            }
        }
        if (receipt.accepted() == 0) {
            Reason first = receipt.rejected().get(0).reasons().get(0);
            String message = batch ? "no event of the batch was accepted; see details" : first.message();
            throw new ApiException(first.code(), message, details);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("accepted", receipt.accepted());
        body.put("rejected", details);
        ctx.contentType("application/json").result(json.write(body));
    }
}
