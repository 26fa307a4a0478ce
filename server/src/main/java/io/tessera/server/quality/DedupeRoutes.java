package io.tessera.server.quality;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.quality.dedupe.DedupeSettings;
import io.tessera.quality.dedupe.MatchPair;
import io.tessera.quality.dedupe.ProfileDedupe;
import io.tessera.quality.dedupe.ReviewPair;
import io.tessera.server.ApiException;
import io.tessera.server.JsonBodies;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Fuzzy duplicate profiles through the admin API ({@link ProfileDedupe}):
 * <ul>
 *   <li>{@code POST /api/v1/dedupe/run} (body optional: {@code {"autoMerge": 0.9, "review": 0.5, "dryRun": false}})
 *       merges the pairs above the auto-merge threshold and queues those between the thresholds;</li>
 *   <li>{@code POST /api/v1/profiles/dedupe}: the same scoring as a report only (a dry run);</li>
 *   <li>{@code GET /api/v1/dedupe/review?status=pending|merged|rejected|all&limit=}: the queue;</li>
 *   <li>{@code POST /api/v1/dedupe/review/{pairId}/merge} and {@code …/reject}: an admin's decision
 *       (404 unknown pair; 409 already decided, or the profiles cannot be merged; nothing changes).</li>
 * </ul>
 * Stateless; thread-safe.
 */
public final class DedupeRoutes {

    private final ProfileDedupe dedupe;

    public DedupeRoutes(ProfileDedupe dedupe) {
        this.dedupe = dedupe;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/dedupe/run", ctx -> run(ctx, false));
        routes.post("/api/v1/profiles/dedupe", ctx -> run(ctx, true));
        routes.get("/api/v1/dedupe/review", this::list);
        routes.post("/api/v1/dedupe/review/{pairId}/merge", ctx -> decide(ctx, ReviewPair.Status.MERGED));
        routes.post("/api/v1/dedupe/review/{pairId}/reject", ctx -> decide(ctx, ReviewPair.Status.REJECTED));
    }

    private void run(Context ctx, boolean reportOnly) {
        JsonNode body = JsonBodies.read(ctx, true);
        if (body == null || !body.isObject()) {
            throw new ApiException("invalid_json", "expected {\"autoMerge\": 0.9, \"review\": 0.5, \"dryRun\": false}");
        }
        double merge = body.has("autoMerge") ? body.get("autoMerge").asDouble() : 0.9;
        double review = body.has("review") ? body.get("review").asDouble() : 0.5;
        if (!(review > 0 && review <= merge && merge <= 1)) {
            throw new ApiException("invalid_thresholds", "need 0 < review <= autoMerge <= 1");
        }
        boolean dryRun = reportOnly || body.has("dryRun") && body.get("dryRun").asBoolean();
        ProfileDedupe.Run run = dedupe.run(DedupeSettings.defaults().withThresholds(merge, review), !dryRun);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("profiles", run.profiles());
        out.put("candidatePairs", run.candidatePairs());
        out.put("merged", run.actions().stream().filter(a -> a.outcome() == ProfileDedupe.Outcome.MERGED).count());
        out.put("queued", run.actions().stream().filter(a -> a.outcome() == ProfileDedupe.Outcome.QUEUED).count());
        out.put("pairs", run.actions().stream().map(DedupeRoutes::view).toList());
        ctx.json(out);
    }

    private void list(Context ctx) {
        String statusText = Optional.ofNullable(ctx.queryParam("status")).orElse("pending").toLowerCase(Locale.ROOT);
        Optional<ReviewPair.Status> status = Optional.empty();
        if (!statusText.equals("all")) {
            status = java.util.Arrays.stream(ReviewPair.Status.values()).filter(s -> s.name().equalsIgnoreCase(statusText)).findFirst();
            if (status.isEmpty()) {
                throw new ApiException("invalid_parameter", "status must be pending, merged, rejected or all, not '" + statusText + "'");
            }
        }
        int limit = Math.clamp(ctx.queryParamAsClass("limit", Integer.class).getOrDefault(100), 1, 1000);
        ctx.json(Map.of("pairs", dedupe.queue().list(status, limit).stream().map(DedupeRoutes::view).toList()));
    }

    private void decide(Context ctx, ReviewPair.Status to) {
        switch (dedupe.decide(ctx.pathParam("pairId"), to)) {
            case ProfileDedupe.Decision.Refused r -> throw new ApiException(r.code(), r.message());
            case ProfileDedupe.Decision.Done d -> {
                Map<String, Object> out = new LinkedHashMap<>(view(d.pair()));
                d.messageId().ifPresent(id -> out.put("messageId", id));
                ctx.json(out);
            }
        }
    }

    private static Map<String, Object> view(ProfileDedupe.Action a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pairId", a.pairId());
        m.put("a", a.pair().idA());
        m.put("b", a.pair().idB());
        m.put("score", a.pair().score());
        m.put("decision", a.pair().decision() == MatchPair.Decision.AUTO_MERGE ? "auto-merge" : "review");
        m.put("outcome", a.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (!a.note().isEmpty()) {
            m.put("note", a.note());
        }
        return m;
    }

    private static Map<String, Object> view(ReviewPair p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pairId", p.id());
        m.put("a", p.profileA());
        m.put("b", p.profileB());
        m.put("score", p.score());
        m.put("status", p.status().name().toLowerCase(Locale.ROOT));
        if (!p.note().isEmpty()) {
            m.put("note", p.note());
        }
        m.put("foundAt", p.foundAt().toString());
        p.decidedAt().ifPresent(at -> m.put("decidedAt", at.toString()));
        return m;
    }
}
