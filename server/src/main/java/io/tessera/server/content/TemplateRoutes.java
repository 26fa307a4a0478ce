package io.tessera.server.content;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.content.BlockStore;
import io.tessera.content.CompiledEmail;
import io.tessera.content.EmailCompiler;
import io.tessera.content.EmailRenderer;
import io.tessera.content.EmailTemplate;
import io.tessera.content.LinkTracking;
import io.tessera.content.RenderErrors;
import io.tessera.content.RenderedMessage;
import io.tessera.content.SegmentContentConditions;
import io.tessera.content.TemplateStore;
import io.tessera.content.lint.CanIEmail;
import io.tessera.content.lint.EmailLint;
import io.tessera.content.liquid.EmailFilters;
import io.tessera.content.liquid.LiquidEngine;
import io.tessera.content.liquid.SnippetSource;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore;
import io.tessera.profile.TraitValue;
import io.tessera.server.ApiException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The templates API under {@code /api/v1/templates}: save a new immutable version
 * ({@code PUT /{key}}), read ({@code GET /{key}}, {@code /{key}/versions}), preview any version for
 * a profile or sample data ({@code POST /{key}/preview}), lint ({@code GET|POST /{key}/lint}) and the
 * render error counts per version. Compiled versions are cached by {@code key@version} (versions
 * never change). Thread-safe.
 */
public final class TemplateRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TemplateStore store;
    private final ProfileStore profiles;
    private final EmailCompiler compiler;
    private final EmailRenderer renderer;
    private final RenderErrors errors;
    private final EmailLint lint;
    private final Map<String, CompiledEmail> compiled = new ConcurrentHashMap<>();
    private final Optional<BlockStore> blocks;

    public TemplateRoutes(TemplateStore store, ProfileStore profiles, InstantSource clock, Optional<LinkTracking> tracking,
                          RenderErrors errors, CanIEmail caniemail) {
        this(store, Optional.empty(), profiles, clock, tracking, errors, caniemail);
    }

    /**
     * @param blocks the block library; with it {@code /api/v1/blocks} is served and template blocks
     *               may be references ({@code {"ref": "footer"}} or {@code "footer@2"}), resolved
     *               when the template version is saved
     */
    public TemplateRoutes(TemplateStore store, Optional<BlockStore> blocks, ProfileStore profiles, InstantSource clock,
                          Optional<LinkTracking> tracking, RenderErrors errors, CanIEmail caniemail) {
        this.blocks = blocks;
        this.store = store;
        this.profiles = profiles;
        this.errors = errors;
        this.compiler = new EmailCompiler(LiquidEngine.email(SnippetSource.NONE, EmailFilters.Settings.DEFAULTS),
                new SegmentContentConditions());
        // previews show the AMP part with a placeholder feed URL (a real send gets a signed one)
        this.renderer = new EmailRenderer(clock, tracking, errors,
                Optional.of((profile, message, key, now) -> "https://preview.invalid/o/preview/amp.json"));
        this.lint = new EmailLint(caniemail);
    }

    public void register(RoutesConfig routes) {
        blocks.ifPresent(b -> new BlockRoutes(b, compiler).register(routes));
        routes.get("/api/v1/templates", ctx -> ctx.json(Map.of("templates", store.keys())));
        routes.put("/api/v1/templates/{key}", this::save);
        routes.get("/api/v1/templates/{key}", ctx -> ctx.json(view(latest(ctx.pathParam("key")))));
        routes.get("/api/v1/templates/{key}/versions", ctx -> ctx.json(Map.of("versions",
                store.versions(ctx.pathParam("key")).stream().map(this::view).toList())));
        routes.post("/api/v1/templates/{key}/preview", this::preview);
        routes.get("/api/v1/templates/{key}/lint", ctx -> lint(ctx, Map.of()));
        routes.post("/api/v1/templates/{key}/lint", ctx -> lint(ctx, sample(ctx)));
    }

    private void save(Context ctx) {
        EmailTemplate draft = parse(ctx.pathParam("key"), JSON.readTree(ctx.body()), this::resolve);
        if (compiler.compile(draft) instanceof EmailCompiler.Verdict.Invalid invalid) {
            throw new ApiException("invalid_template", "the template does not compile", invalid.problems());
        }
        EmailTemplate saved = store.save(draft);
        ctx.status(200).json(view(saved));
    }

    private void preview(Context ctx) {
        JsonNode body = ctx.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(ctx.body());
        EmailTemplate t = body.has("version") ? store.version(ctx.pathParam("key"), body.get("version").asInt())
                .orElseThrow(() -> new ApiException("not_found", "no such template version")) : latest(ctx.pathParam("key"));
        Profile profile;
        Map<String, Object> extra = new LinkedHashMap<>();
        Map<String, Object> event = Map.of();
        if (body.has("profileId")) {
            profile = profiles.get(body.get("profileId").asString())
                    .orElseThrow(() -> new ApiException("not_found", "no profile " + body.get("profileId").asString()));
        } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> data = body.has("data") ? JSON.convertValue(body.get("data"), Map.class) : Map.of();
            extra.putAll(data);
            profile = sampleProfile(extra.remove("profile"));
            if (extra.remove("event") instanceof Map<?, ?> e) {
                @SuppressWarnings("unchecked") Map<String, Object> em = (Map<String, Object>) e;
                event = em;
            }
        }
        CompiledEmail email = compiled(t);
        switch (renderer.render(email, new EmailRenderer.Request(profile, event, extra, "preview"))) {
            case EmailRenderer.Result.Rendered r -> {
                RenderedMessage m = r.message();
                Map<String, Object> out = new LinkedHashMap<>(Map.of("subject", m.subject(), "preheader", m.preheader(),
                        "html", m.html(), "text", m.text(), "fallbacksUsed", m.fallbacksUsed()));
                m.amp().ifPresent(a -> out.put("amp", a));
                ctx.json(out);
            }
            case EmailRenderer.Result.Refused r -> throw new ApiException("render_refused",
                    "the message failed the final check", r.reasons());
        }
    }

    private void lint(Context ctx, Map<String, Object> sample) {
        EmailTemplate t = latest(ctx.pathParam("key"));
        List<EmailLint.Finding> findings = new ArrayList<>(EmailLint.fallbackCoverage(t));
        Map<String, Object> extra = new LinkedHashMap<>(sample);
        Profile p = sampleProfile(extra.remove("profile"));
        if (renderer.render(compiled(t), new EmailRenderer.Request(p, Map.of(), extra, "lint")) instanceof EmailRenderer.Result.Rendered r) {
            findings.addAll(lint.lintHtml(r.message().html()));
        }
        boolean coverageOk = findings.stream().noneMatch(f -> f.kind().equals("fallback_coverage"));
        ctx.json(Map.of("version", t.version(), "fallbackCoverage", coverageOk, "findings", findings));
    }

    private Map<String, Object> sample(Context ctx) {
        if (ctx.body().isBlank()) {
            return Map.of();
        }
        JsonNode body = JSON.readTree(ctx.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> data = body.has("data") ? JSON.convertValue(body.get("data"), Map.class) : Map.of();
        return data;
    }

    private CompiledEmail compiled(EmailTemplate t) {
        return compiled.computeIfAbsent(t.key() + "@" + t.version(), k -> switch (compiler.compile(t)) {
            case EmailCompiler.Verdict.Compiled c -> c.email();
            case EmailCompiler.Verdict.Invalid i -> throw new ApiException("invalid_template", "stored version does not compile", i.problems());
        });
    }

    private EmailTemplate latest(String key) {
        return store.latest(key).orElseThrow(() -> new ApiException("not_found", "no template " + key));
    }

    private Map<String, Object> view(EmailTemplate t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", t.key());
        m.put("version", t.version());
        m.put("subject", t.subject());
        m.put("preheader", t.preheader());
        m.put(t.format() == EmailTemplate.Format.MJML ? "mjml" : "html", t.layout());
        m.put("blocks", t.blocks().stream().map(b -> b.key()).toList());
        m.put("blockVersions", t.blocks().stream().map(b -> b.key() + "@" + b.version()).toList());
        m.put("amp", t.amp().isPresent());
        m.put("renderErrors", errors.count(t.key() + "@" + t.version()));
        return m;
    }

    private static Profile sampleProfile(Object traits) {
        Map<String, TraitValue> tv = new LinkedHashMap<>();
        if (traits instanceof Map<?, ?> m) {
            m.forEach((k, v) -> tv.put(String.valueOf(k), new TraitValue(v, Instant.EPOCH)));
        }
        Object id = tv.containsKey("id") ? tv.get("id").value() : "p_preview";
        return new Profile(String.valueOf(id), Map.of(), tv, Map.of(), List.of(), -1);
    }

    /** {@code {subject, preheader, mjml|html, blocks}} → a draft; blocks as an object by key or a list. */
    static EmailTemplate parse(String key, JsonNode b) {
        return parse(key, b, ref -> {
            throw new ApiException("invalid_template", "block references need the block library: " + ref);
        });
    }

    /** A library block by reference: {@code key} (latest) or {@code key@version}. */
    private EmailTemplate.Block resolve(String ref) {
        BlockStore library = blocks.orElseThrow(() -> new ApiException("invalid_template", "no block library for " + ref));
        return BlockRoutes.resolve(library, ref)
                .orElseThrow(() -> new ApiException("invalid_template", "no block " + ref + " in the library"));
    }

    static EmailTemplate parse(String key, JsonNode b, java.util.function.Function<String, EmailTemplate.Block> library) {
        boolean mjml = b.has("mjml");
        String layout = mjml ? b.get("mjml").asString() : b.path("html").asString("");
        if (layout.isBlank()) {
            throw new ApiException("invalid_template", "give the layout as \"mjml\" or \"html\"");
        }
        List<EmailTemplate.Block> blocks = new ArrayList<>();
        JsonNode bs = b.path("blocks");
        if (bs.isObject()) {
            bs.properties().forEach(e -> blocks.add(e.getValue().has("ref") ? library.apply(e.getValue().get("ref").asString())
                    : block(e.getKey(), e.getValue())));
        } else {
            for (JsonNode n : bs) {
                blocks.add(n.has("ref") ? library.apply(n.get("ref").asString()) : block(n.path("key").asString(), n));
            }
        }
        EmailTemplate t = new EmailTemplate(key, 0, b.path("subject").asString(""), b.path("preheader").asString(""),
                mjml ? EmailTemplate.Format.MJML : EmailTemplate.Format.HTML, layout, blocks);
        return b.path("amp").isObject() ? t.withAmp(TemplateDirectory.amp(b.get("amp"))) : t;
    }

    static EmailTemplate.Block block(String key, JsonNode n) {
        if (n.isString()) {
            return new EmailTemplate.Block(key, 1, List.of(), List.of(), n.asString(), "");
        }
        List<EmailTemplate.Input> inputs = new ArrayList<>();
        n.path("inputs").properties().forEach(e -> {
            JsonNode d = e.getValue().get("default");
            inputs.add(new EmailTemplate.Input(e.getKey(), e.getValue().path("path").asString(),
                    d == null || d.isNull() ? Optional.empty() : Optional.of(JSON.convertValue(d, Object.class))));
        });
        List<EmailTemplate.Variant> variants = new ArrayList<>();
        for (JsonNode v : n.path("variants")) {
            variants.add(new EmailTemplate.Variant(v.path("name").asString(), v.path("condition").asString(), v.path("body").asString()));
        }
        return new EmailTemplate.Block(key, n.path("version").asInt(1), inputs, variants, n.path("body").asString(""),
                n.path("fallback").asString(""));
    }
}
