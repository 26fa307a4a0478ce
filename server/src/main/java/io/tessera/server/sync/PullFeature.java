package io.tessera.server.sync;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.ingest.Ingestor;
import io.tessera.ingest.pull.PullSource;
import io.tessera.ingest.pull.PullState;
import io.tessera.ingest.pull.PullStore;
import io.tessera.ingest.pull.Puller;
import io.tessera.server.ApiException;
import io.tessera.server.Json;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scheduled pulls: a ticker checks every second which pulls are due (last run + interval) and runs
 * each on a virtual thread, never two runs of one pull at once; {@code /api/v1/pulls} manages them
 * and {@code POST /api/v1/pulls/{name}/run} runs one now and answers what it did.
 *
 * <p>Threading: the ticker thread only starts runs; {@link #running} (a concurrent set) keeps one
 * run per pull. Runs call the thread-safe {@link Puller}.
 */
public final class PullFeature implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PullFeature.class);

    private final PullStore store;
    private final Puller puller;
    private final InstantSource clock;
    private final Json json;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tessera-pulls");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();

    public PullFeature(PullStore store, Ingestor ingestor, InstantSource clock, Json json) {
        this.store = store;
        this.puller = new Puller(store, ingestor, new HttpPageFetcher(), clock, 1_000);
        this.clock = clock;
        this.json = json;
    }

    /** Starts the schedule. */
    public void start() {
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            Instant now = clock.instant();
            for (PullSource s : store.list()) {
                PullState st = store.state(s.name());
                boolean due = st.lastRun().map(t -> !t.plus(s.interval()).isAfter(now)).orElse(true);
                if (due && running.add(s.name())) {
                    runs.submit(() -> {
                        try {
                            Puller.Run r = puller.run(s);
                            r.state().lastError().ifPresent(e -> LOG.warn("pull {} failed: {}", s.name(), e));
                        } finally {
                            running.remove(s.name());
                        }
                    });
                }
            }
        } catch (RuntimeException e) {
            LOG.error("pull schedule tick failed", e);
        }
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/pulls", ctx -> ctx.json(Map.of("pulls", store.list().stream().map(this::view).toList())));
        routes.get("/api/v1/pulls/{name}", ctx -> ctx.json(view(pull(ctx))));
        routes.put("/api/v1/pulls/{name}", this::save);
        routes.delete("/api/v1/pulls/{name}", ctx -> {
            if (!store.delete(ctx.pathParam("name"))) {
                throw new ApiException("not_found", "no pull named " + ctx.pathParam("name"));
            }
            ctx.status(204);
        });
        routes.post("/api/v1/pulls/{name}/run", this::runNow);
    }

    private PullSource pull(Context ctx) {
        return store.get(ctx.pathParam("name")).orElseThrow(() -> new ApiException("not_found", "no pull named " + ctx.pathParam("name")));
    }

    private void save(Context ctx) {
        String name = ctx.pathParam("name");
        PullSource source;
        try {
            source = PullSource.fromJson(name, json.mapper().readTree(ctx.bodyAsBytes()), store.get(name).flatMap(PullSource::authorization));
        } catch (JacksonException e) {
            throw new ApiException("invalid_json", "the body is not JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiException("invalid_pull", e.getMessage());
        }
        store.save(source);
        ctx.json(view(source));
    }

    private void runNow(Context ctx) {
        PullSource s = pull(ctx);
        if (!running.add(s.name())) {
            throw new ApiException("conflict", "pull " + s.name() + " is running; try again when it has finished");
        }
        try {
            Puller.Run r = puller.run(s);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("pages", r.pages());
            out.put("records", r.records());
            out.put("accepted", r.accepted());
            out.put("quarantined", r.quarantined());
            out.put("state", state(r.state()));
            ctx.json(out);
        } finally {
            running.remove(s.name());
        }
    }

    private ObjectNode view(PullSource s) {
        ObjectNode o = s.toPublicJson();
        o.set("state", json.mapper().valueToTree(state(store.state(s.name()))));
        return o;
    }

    private static Map<String, Object> state(PullState st) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cursor", st.cursor().orElse(null));
        m.put("lastRun", st.lastRun().map(Instant::toString).orElse(null));
        m.put("lastError", st.lastError().orElse(null));
        m.put("records", st.records());
        return m;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        runs.shutdown();
        try {
            if (!runs.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("pulls still running at shutdown; their cursors stay at the last durable page");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
