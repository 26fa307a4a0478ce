package io.tessera.ingest.hook;

import io.tessera.ingest.IngestReceipt;
import io.tessera.ingest.Ingestor;
import io.tessera.ingest.RequestVerdict;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Takes one webhook request: finds the source, checks the signature and freshness, maps the
 * payload to calls and hands them to the {@link Ingestor} as one batch, so the calls are parsed,
 * quality-checked, quarantined or appended like any API batch (source {@code "hook:<name>"}).
 * Thread-safe: stateless apart from its collaborators.
 */
public final class HookReceiver {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HookSourceStore sources;
    private final Ingestor ingestor;
    private final InstantSource clock;

    public HookReceiver(HookSourceStore sources, Ingestor ingestor, InstantSource clock) {
        this.sources = sources;
        this.ingestor = ingestor;
        this.clock = clock;
    }

    /** What became of a request. */
    public sealed interface Outcome {
        /** The calls went through ingestion; the receipt says how many were taken or quarantined. */
        record Taken(int calls, CompletableFuture<IngestReceipt> receipt) implements Outcome {}

        /**
         * Refused before anything was stored: {@code unknown_source} (404), {@code missing_signature},
         * {@code invalid_signature} or {@code stale_request} (401; which part of a signature failed is
         * not told), {@code invalid_json}, {@code no_records} or an ingestion code (400).
         */
        record Refused(String code, String message) implements Outcome {}
    }

    public Outcome receive(String sourceName, Function<String, Optional<String>> headers, byte[] body) {
        Optional<HookSource> found = sources.get(sourceName);
        if (found.isEmpty()) {
            return new Outcome.Refused("unknown_source", "no webhook source named " + sourceName + " is configured");
        }
        HookSource source = found.get();
        Optional<String> refusal = source.signature().verify(source.secret(), headers, body, clock.instant());
        if (refusal.isPresent()) {
            String code = refusal.get();
            return new Outcome.Refused(code, switch (code) {
                case "missing_signature" -> "the request has no " + source.signature().header() + " header";
                case "stale_request" -> "the request time is outside the replay window of " + source.signature().replayWindow();
                default -> "the request signature does not verify";
            });
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(body);
        } catch (JacksonException e) {
            return new Outcome.Refused("invalid_json", "the body is not JSON: " + e.getOriginalMessage());
        }
        List<ObjectNode> calls = source.mapping().apply(source.name(), payload);
        if (calls.isEmpty()) {
            return new Outcome.Refused("no_records", "the mapping found no record in the payload"
                    + source.mapping().each().map(p -> " at " + p).orElse(""));
        }
        return ingest(ingestor, calls, "hook:" + source.name());
    }

    /**
     * Sends mapped calls through ingestion as one batch (shared with scheduled pulls): parsed,
     * quality-checked, quarantined or appended like an API batch, recorded under {@code label}.
     */
    public static Outcome ingest(Ingestor ingestor, List<ObjectNode> calls, String label) {
        ObjectNode batch = JSON.createObjectNode();
        batch.putArray("batch").addAll(calls);
        RequestVerdict verdict = ingestor.parse(Optional.empty(), JSON.writeValueAsBytes(batch), label);
        if (verdict instanceof RequestVerdict.Invalid invalid) {
            return new Outcome.Refused(invalid.reason().code(), invalid.reason().message());
        }
        return new Outcome.Taken(calls.size(), ingestor.ingest((RequestVerdict.Parsed) verdict, label));
    }
}
