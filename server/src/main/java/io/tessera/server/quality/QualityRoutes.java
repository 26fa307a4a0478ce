package io.tessera.server.quality;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.tessera.event.Event;
import io.tessera.event.EventCodec;
import io.tessera.event.EventLog;
import io.tessera.ingest.Ingestor;
import io.tessera.quality.CategoryTaxonomy;
import io.tessera.quality.CompiledPlan;
import io.tessera.quality.DataDictionary;
import io.tessera.quality.DictionaryBuilder;
import io.tessera.quality.NormalizationSettings;
import io.tessera.quality.PlanMode;
import io.tessera.quality.QualityChecks;
import io.tessera.quality.QualitySettingsCodec;
import io.tessera.quality.QualityVerdict;
import io.tessera.quality.QuarantineStore;
import io.tessera.quality.QuarantinedRecord;
import io.tessera.quality.Reason;
import io.tessera.quality.TrackingPlan;
import io.tessera.quality.TrackingPlans;
import io.tessera.server.ApiException;
import io.tessera.server.JsonBodies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The data-quality admin API: {@code /api/v1/tracking-plans} (list, get, put = new version,
 * versions, delete; an invalid schema is a 400 naming the problems and nothing changes) and
 * {@code PUT /api/v1/taxonomy} (category taxonomy CSV, stored; {@code GET} reports unmapped labels seen),
 * {@code GET|PUT /api/v1/quality/settings} (unplanned-event mode, phone region, SKU and field rules, stored),
 * {@code /api/v1/dictionary} (every event and property seen, types, counts, first/last seen, covered
 * by a plan or not) and {@code /api/v1/quarantine} (list with {@code code}/{@code source}/{@code before}/{@code limit}
 * filters, show, replay, discard). A replay runs the record through the current quality rules:
 * accepted records go to the log and are marked replayed; still-failing ones answer 400
 * {@code replay_failed} with the reasons and stay quarantined. Stateless; thread-safe.
 */
public final class QualityRoutes {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final EventCodec CODEC = new EventCodec();

    private final TrackingPlans plans;
    private final QualityChecks quality;
    private final QuarantineStore quarantine;
    private final EventLog log;
    private final DataDictionary dictionary;
    private final NormalizationSettings settings;

    public QualityRoutes(TrackingPlans plans, QualityChecks quality, QuarantineStore quarantine, EventLog log,
            DataDictionary dictionary, NormalizationSettings settings) {
        this.settings = settings;
        this.dictionary = dictionary;
        this.plans = plans;
        this.quality = quality;
        this.quarantine = quarantine;
        this.log = log;
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.get("/api/v1/tracking-plans", ctx -> ctx.json(Map.of("plans", plans.store().current().stream().map(QualityRoutes::view).toList())));
        r.get("/api/v1/tracking-plans/{event}", ctx -> ctx.json(view(plans.store().current(ctx.pathParam("event"))
                .orElseThrow(() -> notFound("tracking plan", ctx.pathParam("event"))))));
        r.get("/api/v1/tracking-plans/{event}/versions", ctx -> ctx.json(Map.of("versions",
                plans.store().versions(ctx.pathParam("event")).stream().map(QualityRoutes::view).toList())));
        r.put("/api/v1/tracking-plans/{event}", this::savePlan);
        r.delete("/api/v1/tracking-plans/{event}", ctx -> {
            if (!plans.delete(ctx.pathParam("event"))) {
                throw notFound("tracking plan", ctx.pathParam("event"));
            }
            ctx.status(204);
        });
        r.put("/api/v1/taxonomy", this::replaceTaxonomy);
        r.get("/api/v1/taxonomy", this::taxonomy);
        r.get("/api/v1/quality/settings", ctx -> ctx.contentType("application/json").result(settings.currentJson()));
        r.put("/api/v1/quality/settings", this::changeSettings);
        r.get("/api/v1/dictionary", ctx -> ctx.json(Map.of("events", dictionaryView())));
        r.get("/api/v1/quarantine", this::listQuarantine);
        r.get("/api/v1/quarantine/{id}", ctx -> ctx.json(view(record(ctx))));
        r.post("/api/v1/quarantine/{id}/replay", this::replay);
        r.post("/api/v1/quarantine/{id}/discard", ctx -> {
            QuarantinedRecord q = open(record(ctx));
            quarantine.setStatus(q.id(), QuarantinedRecord.Status.DISCARDED);
            ctx.json(view(quarantine.get(q.id()).orElseThrow()));
        });
    }

    private void savePlan(Context ctx) {
        JsonNode body = JsonBodies.read(ctx);
        if (body == null || !body.isObject() || !body.has("schema")) {
            throw new ApiException("invalid_plan", "expected {\"schema\": {…JSON Schema 2020-12…}, \"mode\": \"allow|block|drop-properties\"}");
        }
        String modeText = body.has("mode") ? body.get("mode").asString() : "allow";
        PlanMode mode = PlanMode.fromWire(modeText)
                .orElseThrow(() -> new ApiException("invalid_plan", "mode must be allow, block or drop-properties, not '" + modeText + "'"));
        switch (plans.save(ctx.pathParam("event"), JSON.writeValueAsString(body.get("schema")), mode)) {
            case CompiledPlan.Compilation.Rejected rej -> throw new ApiException("invalid_schema",
                    "the schema is not valid JSON Schema (draft 2020-12): " + rej.problems().getFirst(), rej.problems());
            case CompiledPlan.Compilation.Compiled ok -> ctx.json(view(ok.plan().plan()));
        }
    }

    /** Replaces the category taxonomy with a CSV body (raw_label,canonical), stored; any bad row → 400 with every problem, nothing changed. */
    private void replaceTaxonomy(Context ctx) {
        CategoryTaxonomy.Loaded loaded = settings.replaceTaxonomy(ctx.body());
        CategoryTaxonomy taxonomy = loaded.taxonomy().orElseThrow(() -> new ApiException("invalid_taxonomy",
                "the taxonomy CSV has " + loaded.problems().size() + " bad row(s): " + loaded.problems().getFirst(), loaded.problems()));
        ctx.json(Map.of("labels", taxonomy.size()));
    }

    /** The label count, and every category label seen in the log that the current taxonomy does not map. */
    private void taxonomy(Context ctx) {
        CategoryTaxonomy taxonomy = settings.taxonomy();
        List<Map<String, Object>> unmapped = new java.util.ArrayList<>();
        for (DataDictionary.Entry e : dictionary.entries()) {
            if (e.event().equals(DictionaryBuilder.CATEGORIES) && taxonomy.canonical(e.property()).isEmpty()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("label", e.property());
                m.put("count", e.count());
                m.put("firstSeen", e.firstSeen().toString());
                m.put("lastSeen", e.lastSeen().toString());
                unmapped.add(m);
            }
        }
        unmapped.sort(java.util.Comparator.comparing((Map<String, Object> m) -> (Long) m.get("count")).reversed());
        ctx.json(Map.of("labels", taxonomy.size(), "unmapped", unmapped));
    }

    /** A (partial) settings document: unplanned mode, phone region, SKU rules, field rules; invalid → 400 naming each problem, nothing changed. */
    private void changeSettings(Context ctx) {
        switch (settings.change(ctx.body())) {
            case QualitySettingsCodec.Change.Invalid bad -> throw new ApiException("invalid_settings",
                    "the settings were not changed: " + bad.problems().getFirst(), bad.problems());
            case QualitySettingsCodec.Change.Valid ok -> ctx.contentType("application/json").result(settings.currentJson());
        }
    }

    /** Events with their counts and properties; "planned" and "declared" say whether a current plan covers them. */
    private List<Map<String, Object>> dictionaryView() {
        Map<String, CompiledPlan> compiled = new LinkedHashMap<>();
        for (TrackingPlan p : plans.store().current()) {
            if (CompiledPlan.compile(p) instanceof CompiledPlan.Compilation.Compiled ok) {
                compiled.put(p.event(), ok.plan());
            }
        }
        Map<String, Map<String, Object>> events = new LinkedHashMap<>();
        Map<String, Map<String, Map<String, Object>>> props = new LinkedHashMap<>();
        for (DataDictionary.Entry e : dictionary.entries()) {
            if (e.event().equals(DictionaryBuilder.CATEGORIES)) {
                continue; // category labels: reported by GET /api/v1/taxonomy
            }
            CompiledPlan plan = compiled.get(e.event());
            Map<String, Object> target;
            if (e.property().isEmpty()) {
                target = events.computeIfAbsent(e.event(), k -> new LinkedHashMap<>());
                target.put("event", e.event());
                target.put("planned", plan != null);
            } else {
                target = props.computeIfAbsent(e.event(), k -> new LinkedHashMap<>()).computeIfAbsent(e.property(), k -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", k);
                    m.put("types", new LinkedHashMap<String, Long>());
                    m.put("declared", plan != null && plan.declares(k));
                    return m;
                });
                @SuppressWarnings("unchecked") Map<String, Long> types = (Map<String, Long>) target.get("types");
                types.put(e.type(), e.count());
            }
            target.merge("count", e.count(), (a, b) -> (Long) a + (Long) b);
            target.merge("firstSeen", e.firstSeen().toString(), (a, b) -> ((String) a).compareTo((String) b) <= 0 ? a : b);
            target.merge("lastSeen", e.lastSeen().toString(), (a, b) -> ((String) a).compareTo((String) b) >= 0 ? a : b);
        }
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        events.forEach((name, m) -> {
            m.put("properties", List.copyOf(props.getOrDefault(name, Map.of()).values()));
            out.add(m);
        });
        return out;
    }

    private void listQuarantine(Context ctx) {
        int limit = Math.clamp(ctx.queryParamAsClass("limit", Integer.class).getOrDefault(50), 1, 500);
        List<QuarantinedRecord> page = quarantine.list(param(ctx, "code"), param(ctx, "source"), param(ctx, "before"), limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", page.stream().map(QualityRoutes::view).toList());
        out.put("next", page.size() == limit ? page.getLast().id() : "");
        ctx.json(out);
    }

    private void replay(Context ctx) {
        QuarantinedRecord q = open(record(ctx));
        Event event;
        try {
            event = CODEC.decode(q.raw());
        } catch (RuntimeException e) {
            throw new ApiException("replay_failed", "the record could not be read as an event: " + e.getMessage(),
                    List.of(new Reason("unreadable", "", String.valueOf(e.getMessage()))));
        }
        switch (quality.check(event)) {
            case QualityVerdict.Quarantined still -> throw new ApiException("replay_failed",
                    "the record still fails the quality rules; it stays quarantined", still.reasons());
            case QualityVerdict.Accepted ok -> {
                log.append(List.of(new EventLog.KeyedEvent(Ingestor.partitionKey(ok.event()), ok.event()))).join();
                quarantine.setStatus(q.id(), QuarantinedRecord.Status.REPLAYED);
                Map<String, Object> out = new LinkedHashMap<>(view(quarantine.get(q.id()).orElseThrow()));
                out.put("warnings", ok.warnings());
                ctx.json(out);
            }
        }
    }

    private QuarantinedRecord record(Context ctx) {
        String id = ctx.pathParam("id");
        return quarantine.get(id).orElseThrow(() -> notFound("quarantined record", id));
    }

    private static QuarantinedRecord open(QuarantinedRecord q) {
        if (q.status() != QuarantinedRecord.Status.QUARANTINED) {
            throw new ApiException("conflict", "record " + q.id() + " is already " + q.status().name().toLowerCase(java.util.Locale.ROOT));
        }
        return q;
    }

    private static String param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null ? "" : v;
    }

    private static ApiException notFound(String what, String id) {
        return new ApiException("not_found", "no " + what + " '" + id + "'");
    }

    private static Map<String, Object> view(TrackingPlan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", p.event());
        m.put("version", p.version());
        m.put("mode", p.mode().wireName());
        m.put("schema", JSON.readTree(p.schema()));
        return m;
    }

    private static Map<String, Object> view(QuarantinedRecord q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", q.id());
        m.put("source", q.source());
        m.put("at", q.at().toString());
        m.put("status", q.status().name().toLowerCase(java.util.Locale.ROOT));
        m.put("reasons", q.reasons());
        m.put("raw", q.raw());
        return m;
    }
}
