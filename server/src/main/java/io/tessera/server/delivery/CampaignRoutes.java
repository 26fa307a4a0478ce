package io.tessera.server.delivery;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.tessera.delivery.Outbox;
import io.tessera.delivery.SendLedger;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.CampaignCodec;
import io.tessera.delivery.campaign.CampaignControl;
import io.tessera.delivery.campaign.CampaignRuns;
import io.tessera.delivery.campaign.CampaignState;
import io.tessera.delivery.campaign.CampaignStats;
import io.tessera.delivery.campaign.CampaignStore;
import io.tessera.delivery.campaign.SegmentMembers;
import io.tessera.delivery.dispatch.CampaignDispatcher;
import io.tessera.profile.ProfileStore;
import io.tessera.server.ApiException;
import io.tessera.server.JsonBodies;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import tools.jackson.databind.json.JsonMapper;

/**
 * The campaigns admin API — {@code PUT/GET /api/v1/campaigns/{key}}, {@code POST …/{key}/start},
 * {@code POST …/{key}/pause}, {@code …/resume}, {@code …/cancel} (409 with {@code campaign_paused},
 * {@code campaign_cancelled} or {@code campaign_finished} when the state does not allow it),
 * {@code GET …/{key}/stats} — and {@code GET /api/v1/outbox?campaign=} (with
 * {@code GET /api/v1/outbox/{messageId}} for the raw MIME). Authentication is the server's
 * before-handler on {@code /api/*}; errors use the shared {@code {"error": …}} shape.
 *
 * <p>Stats join the ledger (who was sent what, in which arm) with the tracking events on each
 * recipient's profile: "Email Opened", "Email Link Clicked", "Unsubscribed", "Email Marked as
 * Spam" carrying {@code properties.campaign}, and "Order Completed" for conversions.
 */
public final class CampaignRoutes implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CampaignStore campaigns;
    private final SendLedger ledger;
    private final Optional<Outbox> outbox;
    private final ProfileStore profiles;
    private final CampaignRunner runner;
    private final TemplateCheck templateCheck;
    private final Runnable onSaved;
    private final CampaignRuns runs;
    private final CampaignControls controls;
    private final ToLongFunction<String> queuedTriggers;

    /**
     * Refuses a template version a campaign may not use: the problems with it (none = fine), each
     * as a pointer-free message. The composition root checks the content stage's fallback-coverage
     * lint; {@code "override": true} in the campaign body skips the check.
     */
    @FunctionalInterface
    public interface TemplateCheck {
        TemplateCheck NONE = ref -> List.of();

        List<String> problems(Campaign.TemplateRef template);
    }

    public CampaignRoutes(CampaignStore campaigns, CampaignDispatcher dispatcher, SendLedger ledger, Optional<Outbox> outbox,
                          ProfileStore profiles, InstantSource clock) {
        this(campaigns, dispatcher, ledger, outbox, profiles, clock, TemplateCheck.NONE, () -> { }, CampaignRuns.NONE,
                NO_MEMBERS, key -> 0);
    }

    private static final SegmentMembers NO_MEMBERS = new SegmentMembers() {
        @Override
        public List<String> members(String segment, String afterId, int limit) {
            return List.of();
        }

        @Override
        public boolean contains(String segment, String profileId) {
            return false;
        }
    };

    /**
     * @param onSaved called after every saved definition (triggered campaigns re-read their index)
     * @param runs    where started runs are kept until finished, for {@link #resumeRuns}
     * @param members the segments' memberships, to count who a cancelled run did not send
     * @param queuedTriggers entries a triggered campaign has queued (what a cancel drops)
     */
    public CampaignRoutes(CampaignStore campaigns, CampaignDispatcher dispatcher, SendLedger ledger, Optional<Outbox> outbox,
                          ProfileStore profiles, InstantSource clock, TemplateCheck templateCheck, Runnable onSaved,
                          CampaignRuns runs, SegmentMembers members, ToLongFunction<String> queuedTriggers) {
        this.campaigns = campaigns;
        this.ledger = ledger;
        this.outbox = outbox;
        this.profiles = profiles;
        this.runs = runs;
        this.queuedTriggers = queuedTriggers;
        this.controls = new CampaignControls(campaigns, clock);
        this.runner = new CampaignRunner(dispatcher, clock, runs, controls, members, ledger, queuedTriggers);
        this.templateCheck = templateCheck;
        this.onSaved = onSaved;
    }

    /** The campaigns' pause / cancel states, as the sending paths ask for them. */
    CampaignControls controls() {
        return controls;
    }

    /** In a cluster: runs enqueue send jobs for every node instead of sending from this one. */
    public void queueRuns(io.tessera.delivery.campaign.SendJobQueue jobs, io.tessera.delivery.campaign.SegmentMembers members) {
        runner.queueRuns(new CampaignRunner.Queued(jobs, members, campaigns::get));
    }

    /** Re-schedules the runs a previous process left unfinished (at start-up). */
    public int resumeRuns() {
        return runner.resume(campaigns::get);
    }

    public void register(JavalinConfig config) {
        config.routes.get("/api/v1/campaigns", ctx -> JsonBodies.write(ctx, 200,
                Map.of("campaigns", campaigns.list().stream().map(CampaignCodec::toMap).toList())));
        config.routes.put("/api/v1/campaigns/{key}", this::save);
        config.routes.get("/api/v1/campaigns/{key}", ctx -> withCampaign(ctx, c -> {
            Map<String, Object> view = new LinkedHashMap<>(CampaignCodec.toMap(c));
            putState(view, c);
            view.put("runs", runner.status(c.key()));
            if (c.trigger().isPresent()) {
                view.put("queued", queuedTriggers.applyAsLong(c.key()));
            }
            JsonBodies.write(ctx, 200, view);
        }));
        config.routes.post("/api/v1/campaigns/{key}/start", ctx -> withCampaign(ctx, c -> {
            if (c.trigger().isPresent()) {
                throw new ApiException("triggered_campaign", "a triggered campaign is sent on segment entry, not started", List.of());
            }
            if (runner.control(c, CampaignState.Action.START) instanceof CampaignState.Transition.Refused r) {
                throw new ApiException(r.code(), r.message(), List.of());
            }
            JsonBodies.write(ctx, 202, runner.start(c));
        }));
        config.routes.post("/api/v1/campaigns/{key}/pause", ctx -> control(ctx, CampaignState.Action.PAUSE));
        config.routes.post("/api/v1/campaigns/{key}/resume", ctx -> control(ctx, CampaignState.Action.RESUME));
        config.routes.post("/api/v1/campaigns/{key}/cancel", ctx -> control(ctx, CampaignState.Action.CANCEL));
        config.routes.get("/api/v1/campaigns/{key}/stats", ctx -> withCampaign(ctx, c -> JsonBodies.write(ctx, 200,
                stats(c, Optional.ofNullable(ctx.queryParam("run")).filter(r -> !r.isBlank())))));
        config.routes.get("/api/v1/outbox", this::outboxList);
        config.routes.get("/api/v1/outbox/{messageId}", ctx -> {
            var e = outbox.flatMap(o -> o.find(ctx.pathParam("messageId")));
            if (e.isEmpty()) {
                throw new ApiException("not_found", "no such message in the outbox", List.of());
            }
            ctx.status(200).contentType("message/rfc822").result(e.get().rawMime());
        });
    }

    /** Pause, resume or cancel: 200 with the state (also when it already was that state), 409 with the reason when refused. */
    private void control(Context ctx, CampaignState.Action action) {
        withCampaign(ctx, c -> {
            switch (runner.control(c, action)) {
                case CampaignState.Transition.Refused r -> throw new ApiException(r.code(), r.message(), List.of());
                case CampaignState.Transition.Changed changed -> {
                    onSaved.run();
                    JsonBodies.write(ctx, 200, stateView(c, true));
                }
                case CampaignState.Transition.Unchanged u -> JsonBodies.write(ctx, 200, stateView(c, false));
            }
        });
    }

    private Map<String, Object> stateView(Campaign c, boolean changed) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("campaign", c.key());
        putState(view, c);
        view.put("changed", changed);
        return view;
    }

    private void putState(Map<String, Object> view, Campaign c) {
        Optional<CampaignControl> control = controls.stored(c.key());
        CampaignState state = control.map(CampaignControl::state).orElse(CampaignState.ACTIVE);
        view.put("state", runner.finished(c) && state == CampaignState.ACTIVE ? "finished" : state.wireName());
        control.ifPresent(x -> view.put("stateSince", x.since().toString()));
        if (state == CampaignState.CANCELLED) {
            view.put("notSent", runs.notSent(c.key()));
        }
    }

    private void save(Context ctx) {
        String key = ctx.pathParam("key");
        if (!key.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new ApiException("invalid_key", "campaign keys are 1-64 of A-Z a-z 0-9 _ -", List.of());
        }
        switch (CampaignCodec.parse(key, ctx.body())) {
            case CampaignCodec.Parsed.Invalid i -> throw new ApiException("invalid_campaign", "the campaign definition has problems",
                    i.problems().stream().map(p -> Map.of("pointer", p.pointer(), "message", p.message())).toList());
            case CampaignCodec.Parsed.Valid v -> {
                List<Map<String, String>> refused = override(ctx.body()) ? List.of() : templateProblems(v.campaign());
                if (!refused.isEmpty()) {
                    throw new ApiException("template_refused", "the template version fails the fallback-coverage lint; "
                            + "fix it or save the campaign with \"override\": true", refused);
                }
                int version = campaigns.put(v.campaign());
                onSaved.run();
                Map<String, Object> view = new LinkedHashMap<>(CampaignCodec.toMap(v.campaign()));
                view.put("version", version);
                JsonBodies.write(ctx, 200, view);
            }
        }
    }

    private List<Map<String, String>> templateProblems(Campaign c) {
        List<Map<String, String>> out = new java.util.ArrayList<>();
        templateCheck.problems(c.template()).forEach(p -> out.add(Map.of("pointer", "/template", "message", p)));
        for (int i = 0; i < c.variants().size(); i++) {
            String pointer = "/variants/" + i + "/template";
            c.variants().get(i).template().ifPresent(t ->
                    templateCheck.problems(t).forEach(p -> out.add(Map.of("pointer", pointer, "message", p))));
        }
        return out;
    }

    private static boolean override(String body) {
        try {
            return JSON.readTree(body).path("override").asBoolean(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void outboxList(Context ctx) {
        if (outbox.isEmpty()) {
            throw new ApiException("no_outbox", "an SMTP relay is configured; mail is not kept in an outbox", List.of());
        }
        Optional<String> campaign = Optional.ofNullable(ctx.queryParam("campaign")).filter(s -> !s.isBlank());
        long after = parseLong(ctx.queryParam("after"), 0);
        int limit = (int) Math.min(500, Math.max(1, parseLong(ctx.queryParam("limit"), 100)));
        List<Outbox.Entry> entries = outbox.get().list(campaign, after, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", outbox.get().count(campaign));
        body.put("messages", entries.stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", e.seq());
            m.put("messageId", e.messageId());
            m.put("campaign", e.campaign());
            m.put("to", e.to());
            m.put("subject", e.subject());
            m.put("at", e.at().toString());
            m.put("bytes", e.rawMime().length);
            m.put("raw", "/api/v1/outbox/" + e.messageId());
            return m;
        }).toList());
        if (entries.size() == limit) {
            body.put("next", entries.getLast().seq());
        }
        JsonBodies.write(ctx, 200, body);
    }

    /** One run's stats ({@code ?run=scope}), or all runs of the campaign together (recurring runs, trigger entries). */
    private Map<String, Object> stats(Campaign c, Optional<String> run) {
        List<SendLedger.Row> rows = run.map(ledger::rows).orElseGet(() -> ledger.rowsOfRuns(c.key()));
        Map<String, Instant> sentAt = new HashMap<>();
        rows.forEach(r -> sentAt.put(r.key().profileId(), r.claimedAt()));
        Duration window = Duration.ofDays(c.conversionDays());
        CampaignStats s = CampaignStats.of(rows, profileId -> CampaignStats.engagement(c.key(), profiles.history(profileId),
                Optional.ofNullable(sentAt.get(profileId)), window));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("campaign", c.key());
        out.put("run", run.orElse("all"));
        putState(out, c);
        Map<SendLedger.Stage, Long> stages = new java.util.EnumMap<>(SendLedger.Stage.class);
        rows.forEach(r -> stages.merge(r.stage(), 1L, Long::sum));
        out.put("stages", stages);
        Map<String, Long> skipped = new java.util.TreeMap<>();
        rows.stream().map(r -> r.key().campaign()).distinct()
                .forEach(scope -> ledger.skipReasons(scope).forEach((code, n) -> skipped.merge(code, n, Long::sum)));
        out.put("skippedBy", skipped);
        out.put("conversionDays", c.conversionDays());
        out.put("arms", s.arms());
        out.put("liftVsHoldout", s.liftVsHoldout());
        return out;
    }

    private void withCampaign(Context ctx, java.util.function.Consumer<Campaign> then) {
        Optional<Campaign> c = campaigns.get(ctx.pathParam("key"));
        if (c.isEmpty()) {
            throw new ApiException("not_found", "no campaign " + ctx.pathParam("key"), List.of());
        }
        then.accept(c.get());
    }

    private static long parseLong(String s, long dflt) {
        try {
            return s == null ? dflt : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }



    @Override
    public void close() {
        runner.close();
    }
}
