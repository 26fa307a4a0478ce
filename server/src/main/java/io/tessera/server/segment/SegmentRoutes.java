package io.tessera.server.segment;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.ProfileStore;
import io.tessera.segment.Backfill;
import io.tessera.segment.Explanation;
import io.tessera.segment.MembershipStore;
import io.tessera.segment.SaveVerdict;
import io.tessera.segment.SegmentDefinition;
import io.tessera.segment.SegmentEngine;
import io.tessera.segment.SegmentRegistry;
import io.tessera.segment.predict.ModelFitting;
import io.tessera.server.ApiException;
import io.tessera.server.JsonBodies;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The segments admin API: {@code /api/v1/segments} (CRUD, versions, count, members, explain) and
 * {@code POST /api/v1/models/fit}. Authentication is the server's (a before-handler on
 * {@code /api/*}); errors use the shared {@code {"error": {code, message, details}}} shape.
 */
public final class SegmentRoutes {

    private final SegmentRegistry registry;
    private final SegmentEngine engine;
    private final MembershipStore memberships;
    private final ProfileStore profiles;
    private final ModelFitting fitting;

    public SegmentRoutes(SegmentRegistry registry, SegmentEngine engine, MembershipStore memberships, ProfileStore profiles) {
        this.registry = registry;
        this.engine = engine;
        this.memberships = memberships;
        this.profiles = profiles;
        this.fitting = new ModelFitting(profiles);
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/segments", ctx -> JsonBodies.write(ctx, 200, Map.of("segments", registry.list().stream().map(this::view).toList())));
        config.routes.put("/api/v1/segments/{key}", this::save);
        config.routes.get("/api/v1/segments/{key}", ctx -> withSegment(ctx, d -> JsonBodies.write(ctx, 200, view(d))));
        config.routes.delete("/api/v1/segments/{key}", this::delete);
        config.routes.get("/api/v1/segments/{key}/versions", ctx -> JsonBodies.write(ctx, 200,
                Map.of("versions", registry.versions(ctx.pathParam("key")).stream().map(this::definition).toList())));
        config.routes.get("/api/v1/segments/{key}/count", ctx -> withSegment(ctx, d -> JsonBodies.write(ctx, 200, Map.of("count", memberships.count(d.key())))));
        config.routes.get("/api/v1/segments/{key}/members", this::members);
        config.routes.get("/api/v1/segments/{key}/explain/{profileId}", this::explain);
        config.routes.post("/api/v1/models/fit", this::fit);
    }

    /** A profile's memberships as the profile API shows them: {@code [{key, since}]}, oldest first. */
    public List<Map<String, Object>> membershipsOf(String profileId) {
        return memberships.memberships(profileId).entrySet().stream()
                .sorted(Map.Entry.<String, Instant>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> Map.<String, Object>of("key", e.getKey(), "since", e.getValue().toString())).toList();
    }

    private void save(Context ctx) {
        JsonNode body = JsonBodies.read(ctx);
        if (body == null || !body.path("condition").isString()) {
            throw new ApiException("invalid_condition", "\"condition\" (a CEL expression string) is required", List.of());
        }
        SaveVerdict v = registry.save(ctx.pathParam("key"), body.path("name").asString(""), body.path("condition").asString());
        switch (v) {
            case SaveVerdict.Saved s -> {
                Map<String, Object> out = new LinkedHashMap<>(definition(s.definition()));
                out.put("backfill", progress(s.backfill()));
                JsonBodies.write(ctx, 200, out);
            }
            case SaveVerdict.Rejected r -> throw new ApiException(r.code(), r.message(),
                    List.of(Map.of("line", r.line(), "column", r.column())));
        }
    }

    private void delete(Context ctx) {
        String key = ctx.pathParam("key");
        if (registry.get(key).isEmpty()) {
            throw new ApiException("not_found", "no segment " + key, List.of());
        }
        Optional<String> refused = registry.delete(key);
        if (refused.isPresent()) {
            throw new ApiException("segment_in_use", refused.get(), List.of());
        } else {
            ctx.status(204);
        }
    }

    private void members(Context ctx) {
        withSegment(ctx, d -> {
            int limit = Math.max(1, Math.min(1000, parseInt(ctx.queryParam("limit"), 100)));
            String cursor = Optional.ofNullable(ctx.queryParam("cursor")).orElse("");
            List<MembershipStore.Member> page = memberships.members(d.key(), cursor, limit + 1);
            List<Map<String, Object>> out = new ArrayList<>();
            for (MembershipStore.Member m : page.subList(0, Math.min(limit, page.size()))) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("profileId", m.profileId());
                row.put("userId", profiles.get(m.profileId()).flatMap(p -> p.firstIdentity(IdentityKind.USER_ID)).orElse(null));
                row.put("since", m.since().toString());
                out.add(row);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("members", out);
            body.put("next", page.size() > limit ? out.get(out.size() - 1).get("profileId") : null);
            JsonBodies.write(ctx, 200, body);
        });
    }

    private void explain(Context ctx) {
        withSegment(ctx, d -> {
            Optional<Explanation> x = engine.explain(d.key(), ctx.pathParam("profileId"));
            if (x.isEmpty()) {
                throw new ApiException("not_found", "no profile " + ctx.pathParam("profileId"), List.of());
            }
            Explanation e = x.get();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("segment", e.segment());
            body.put("version", e.version());
            body.put("condition", e.condition());
            body.put("member", e.member());
            body.put("error", e.error().orElse(null));
            body.put("steps", e.steps().stream().map(s -> Map.of("expression", s.expression(), "value", s.value())).toList());
            JsonBodies.write(ctx, 200, body);
        });
    }

    private void fit(Context ctx) {
        JsonNode b = JsonBodies.read(ctx);
        Optional<Instant> end = instant(b.path("calibrationEnd").asString(""));
        if (end.isEmpty()) {
            throw new ApiException("invalid_calibration_end", "calibrationEnd must be an ISO date or instant", List.of());
        }
        var request = new ModelFitting.Request(b.path("model").asString("bgnbd"), b.path("event").asString("Order Completed"),
                b.path("valueProperty").asString("revenue"), end.get(), b.path("timeUnit").asString("week"));
        switch (fitting.fit(request)) {
            case ModelFitting.Verdict.Fitted f -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("model", f.result().model());
                out.putAll(f.result().parameters());
                out.put("logLikelihood", f.result().logLikelihood());
                out.put("customers", f.result().customers());
                JsonBodies.write(ctx, 200, out);
            }
            case ModelFitting.Verdict.Rejected r -> throw new ApiException(r.code(), r.message(), List.of());
        }
    }

    private static Optional<Instant> instant(String s) {
        try {
            return Optional.of(s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(s));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private void withSegment(Context ctx, java.util.function.Consumer<SegmentDefinition> then) {
        Optional<SegmentDefinition> d = registry.get(ctx.pathParam("key"));
        if (d.isEmpty()) {
            throw new ApiException("not_found", "no segment " + ctx.pathParam("key"), List.of());
        } else {
            then.accept(d.get());
        }
    }

    private Map<String, Object> view(SegmentDefinition d) {
        Map<String, Object> out = new LinkedHashMap<>(definition(d));
        out.put("count", memberships.count(d.key()));
        registry.backfill(d.key()).ifPresent(p -> out.put("backfill", progress(p)));
        return out;
    }

    private Map<String, Object> definition(SegmentDefinition d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", d.key());
        out.put("name", d.name());
        out.put("condition", d.condition());
        out.put("version", d.version());
        out.put("savedAt", d.savedAt().toString());
        return out;
    }

    private static Map<String, Object> progress(Backfill.Progress p) {
        return Map.of("version", p.version(), "done", p.done(), "total", p.total(), "status", p.status().name().toLowerCase(java.util.Locale.ROOT));
    }

    private static int parseInt(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }



    static Comparator<SegmentDefinition> byKey() {
        return Comparator.comparing(SegmentDefinition::key);
    }
}
