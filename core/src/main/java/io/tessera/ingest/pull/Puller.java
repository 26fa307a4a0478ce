package io.tessera.ingest.pull;

import io.tessera.ingest.IngestReceipt;
import io.tessera.ingest.Ingestor;
import io.tessera.ingest.hook.HookReceiver;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one pull: pages from the cursor until the endpoint has nothing newer (or {@code maxPages}),
 * each page's records mapped and ingested in batches, the cursor saved after each page is durable.
 * A failure (endpoint down, bad JSON, log unavailable) stops the run with the error recorded and the
 * cursor where the last durable page left it. Thread-safe; the caller runs one pull at a time per name.
 */
public final class Puller {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CALLS_PER_BATCH = 500;

    private final PullStore store;
    private final Ingestor ingestor;
    private final PageFetcher fetcher;
    private final InstantSource clock;
    private final int maxPages;

    public Puller(PullStore store, Ingestor ingestor, PageFetcher fetcher, InstantSource clock, int maxPages) {
        this.store = store;
        this.ingestor = ingestor;
        this.fetcher = fetcher;
        this.clock = clock;
        this.maxPages = maxPages;
    }

    /** What one run did: pages and records fetched (a page repeats the records at the cursor), new events accepted, records quarantined. */
    public record Run(int pages, long records, long accepted, long quarantined, PullState state) {}

    public Run run(PullSource source) {
        PullState state = store.state(source.name());
        Optional<String> cursor = state.cursor().or(source::initialCursor);
        int pages = 0;
        long records = 0;
        long accepted = 0;
        long quarantined = 0;
        Optional<String> error = Optional.empty();
        while (pages < maxPages) {
            List<JsonNode> page;
            try {
                page = page(source, fetcher.fetch(source, cursor));
            } catch (PageFetcher.PullFailure e) {
                error = Optional.of(e.getMessage());
                break;
            }
            pages++;
            if (page.isEmpty()) {
                break;
            }
            long fresh;
            try {
                IngestReceipt r = ingest(source, page);
                accepted += r.accepted() - r.duplicates();
                quarantined += r.rejected().size();
                fresh = r.accepted() - r.duplicates() + r.rejected().size();
            } catch (IllegalStateException e) {
                error = Optional.of(e.getMessage());
                break;
            }
            records += page.size();
            Optional<String> next = source.nextCursor(cursor, page);
            boolean moved = !next.equals(cursor);
            cursor = next;
            state = new PullState(cursor, state.lastRun(), state.lastError(), state.records() + fresh);
            store.saveState(source.name(), state);
            if (!moved) {
                break;
            }
        }
        state = new PullState(state.cursor(), Optional.of(clock.instant()), error, state.records());
        store.saveState(source.name(), state);
        return new Run(pages, records, accepted, quarantined, state);
    }

    private static List<JsonNode> page(PullSource source, byte[] body) throws PageFetcher.PullFailure {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new PageFetcher.PullFailure("the endpoint answered something that is not JSON: " + e.getOriginalMessage());
        }
        JsonNode records = source.records().isEmpty() ? root : root.at(source.records());
        if (!records.isArray()) {
            throw new PageFetcher.PullFailure("no array of records at \"" + source.records() + "\" in the answer");
        }
        List<JsonNode> out = new ArrayList<>(records.size());
        records.forEach(out::add);
        return out;
    }

    /** Ingests a page in batches and waits until they are durable; quarantined records count as taken. */
    private IngestReceipt ingest(PullSource source, List<JsonNode> page) {
        List<ObjectNode> calls = new ArrayList<>(page.size());
        for (JsonNode r : page) {
            calls.addAll(source.mapping().apply(source.name(), r));
        }
        int accepted = 0;
        int duplicates = 0;
        List<IngestReceipt.Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < calls.size(); i += CALLS_PER_BATCH) {
            List<ObjectNode> chunk = calls.subList(i, Math.min(calls.size(), i + CALLS_PER_BATCH));
            switch (HookReceiver.ingest(ingestor, chunk, "pull:" + source.name())) {
                case HookReceiver.Outcome.Refused r -> throw new IllegalStateException("ingestion refused the page: " + r.code() + ": " + r.message());
                case HookReceiver.Outcome.Taken t -> {
                    try {
                        IngestReceipt r = t.receipt().join();
                        accepted += r.accepted();
                        duplicates += r.duplicates();
                        rejected.addAll(r.rejected());
                    } catch (CompletionException e) {
                        throw new IllegalStateException("the event log could not store the page: " + e.getCause().getMessage());
                    }
                }
            }
        }
        return new IngestReceipt(accepted, duplicates, rejected);
    }
}
