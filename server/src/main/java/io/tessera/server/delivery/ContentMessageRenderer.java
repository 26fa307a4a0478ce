package io.tessera.server.delivery;

import io.tessera.content.CompiledEmail;
import io.tessera.content.EmailCompiler;
import io.tessera.content.EmailRenderer;
import io.tessera.content.EmailTemplate;
import io.tessera.content.RenderErrors;
import io.tessera.content.RenderedMessage;
import io.tessera.content.SegmentContentConditions;
import io.tessera.content.TemplateStore;
import io.tessera.content.liquid.EmailFilters;
import io.tessera.content.liquid.LiquidEngine;
import io.tessera.content.liquid.SnippetSource;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.MessageRenderer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The content stage behind delivery's {@link MessageRenderer} port: a campaign's template
 * version (pinned, or the latest) compiled once and rendered per recipient at send time by the
 * {@link EmailRenderer} — auto-escaping, block variants, fallbacks and the final check. A variant's
 * subject replaces the template's subject and is compiled as its own cached version. Tracking is
 * added afterwards by delivery, so the renderer runs without link tracking. Templates see the
 * campaign context ({@code campaign}, {@code variant}, {@code messageId}) and, unless the caller
 * gives them, {@code recommendations}: the recipient's {@link RecentlyViewed} products.
 *
 * <p>Caches: compiled versions by {@code key@version[#subject]} (versions never change); the
 * latest version number of an unpinned template for {@link #LATEST_TTL}, so a campaign run does
 * not re-read the store per recipient. Thread-safe.
 */
public final class ContentMessageRenderer implements MessageRenderer {

    static final Duration LATEST_TTL = Duration.ofSeconds(5);
    static final int RECOMMENDATIONS = 4;

    private final TemplateStore templates;
    private final InstantSource clock;
    private final EmailCompiler compiler = new EmailCompiler(LiquidEngine.email(SnippetSource.NONE, EmailFilters.Settings.DEFAULTS),
            new SegmentContentConditions());
    private final EmailRenderer renderer;
    private final Map<String, Optional<CompiledEmail>> compiled = new ConcurrentHashMap<>();
    private final Map<String, Latest> latest = new ConcurrentHashMap<>();

    private record Latest(Optional<EmailTemplate> template, Instant readAt) {}

    private final io.tessera.server.opentime.OpenTimeParts openTime;

    public ContentMessageRenderer(TemplateStore templates, InstantSource clock, RenderErrors errors) {
        this(templates, clock, errors, io.tessera.server.opentime.OpenTimeParts.NONE);
    }

    /** @param openTime the {@code opentime} template values and AMP part of each message (open-time feeds, live images) */
    ContentMessageRenderer(TemplateStore templates, InstantSource clock, RenderErrors errors,
                           io.tessera.server.opentime.OpenTimeParts openTime) {
        this.openTime = openTime;
        this.templates = templates;
        this.clock = clock;
        this.renderer = new EmailRenderer(clock, Optional.empty(), errors);
    }

    @Override
    public Rendered render(Request r) {
        Optional<EmailTemplate> t = template(r.template());
        if (t.isEmpty()) {
            return new Failed("template_not_found", "no template " + r.template().key()
                    + r.template().version().map(v -> " version " + v).orElse(""));
        }
        EmailTemplate version = t.get();
        String id = version.key() + "@" + version.version() + r.subjectOverride().map(s -> "#" + s).orElse("");
        Optional<CompiledEmail> email = compiled.computeIfAbsent(id, k -> {
            EmailTemplate source = r.subjectOverride().map(s -> new EmailTemplate(version.key(), version.version(), s,
                    version.preheader(), version.format(), version.layout(), version.blocks())).orElse(version);
            return compiler.compile(source) instanceof EmailCompiler.Verdict.Compiled c ? Optional.of(c.email()) : Optional.empty();
        });
        if (email.isEmpty()) {
            return new Failed("template_invalid", id + " does not compile");
        }
        String messageId = String.valueOf(r.context().getOrDefault("messageId", ""));
        Map<String, Object> extra = new java.util.HashMap<>(r.context());
        Map<String, Object> live = openTime.links(version.key(), r.profile().id(), messageId);
        if (!live.isEmpty()) {
            extra.putIfAbsent("opentime", live);
        }
        if (!extra.containsKey("recommendations")) {
            List<Map<String, Object>> viewed = RecentlyViewed.of(r.profile(), RECOMMENDATIONS);
            if (!viewed.isEmpty()) {
                extra.put("recommendations", viewed);
            }
        }
        return switch (renderer.render(email.get(), new EmailRenderer.Request(r.profile(), Map.of(), extra, messageId))) {
            case EmailRenderer.Result.Rendered ok -> {
                RenderedMessage m = ok.message();
                Optional<String> amp = m.amp().or(() -> openTime.amp(version.key(), r.profile().id(), messageId));
                yield new Message(m.subject(), m.preheader(), m.html(), m.text(), amp, m.headers(), m.fallbacksUsed());
            }
            case EmailRenderer.Result.Refused no -> new Failed("render_refused", String.join("; ", no.reasons()));
        };
    }

    /** The pinned version, or the latest (re-read at most every {@link #LATEST_TTL}). */
    Optional<EmailTemplate> template(Campaign.TemplateRef ref) {
        if (ref.version().isPresent()) {
            return templates.version(ref.key(), ref.version().get());
        }
        Instant now = clock.instant();
        Latest l = latest.get(ref.key());
        if (l == null || now.isAfter(l.readAt().plus(LATEST_TTL)) || now.isBefore(l.readAt())) {
            l = new Latest(templates.latest(ref.key()), now);
            latest.put(ref.key(), l);
        }
        return l.template();
    }
}
