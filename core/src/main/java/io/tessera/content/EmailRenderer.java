package io.tessera.content;

import io.tessera.content.liquid.Escapes;
import io.tessera.content.liquid.RenderOutcome;
import io.tessera.event.JsonValues;
import io.tessera.opentime.amp.AmpEmailComposer;
import io.tessera.opentime.amp.AmpFeedBlock;
import io.tessera.profile.Profile;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a compiled email for one recipient into a checked {@link RenderedMessage}.
 *
 * <p>Per block: the first variant whose content rule holds (else the default body) is rendered
 * with the block's inputs resolved (declared defaults applied); a required input that is missing
 * or blank, or a render error, replaces the block by its fallback and is reported in
 * {@code fallbacksUsed}. The final check refuses the message — with every reason — when the
 * subject or body is empty, when Liquid delimiters survived in the template's own text, or when
 * the HTML is structurally broken. Errors are counted per template version. Thread-safe.
 */
public final class EmailRenderer {

    /** The body buffers, reused per thread ({@link TextBuffers}). */
    private static final TextBuffers BODIES = new TextBuffers();

    private final InstantSource clock;
    private final Optional<LinkTracking> tracking;
    private final RenderErrors errors;
    private final HtmlFinisher finisher = new HtmlFinisher();
    private final Optional<AmpFeedUrls> ampFeeds;
    private final AmpEmailComposer amp = new AmpEmailComposer();

    /** A renderer that writes no AMP part. */
    public EmailRenderer(InstantSource clock, Optional<LinkTracking> tracking, RenderErrors errors) {
        this(clock, tracking, errors, Optional.empty());
    }

    /**
     * @param ampFeeds where AMP parts fetch their feed; with it, a version that declares AMP gets a
     *                 {@code text/x-amp-html} part ({@link RenderedMessage#amp()}), without it none
     */
    public EmailRenderer(InstantSource clock, Optional<LinkTracking> tracking, RenderErrors errors,
                         Optional<AmpFeedUrls> ampFeeds) {
        this.clock = clock;
        this.tracking = tracking;
        this.errors = errors;
        this.ampFeeds = ampFeeds;
    }

    /**
     * One recipient's render input.
     *
     * @param event the triggering event's properties (empty for a campaign)
     * @param extra more top-level values: recommendations, feed data, campaign context
     */
    public record Request(Profile profile, Map<String, Object> event, Map<String, Object> extra, String messageId) {
        public Request {
            event = Map.copyOf(event);
            extra = Map.copyOf(extra);
        }
    }

    /** The outcome: a message, or the reasons it was refused. */
    public sealed interface Result {
        record Rendered(RenderedMessage message) implements Result {}

        record Refused(List<String> reasons, List<String> fallbacksUsed) implements Result {}
    }

    public Result render(CompiledEmail email, Request request) {
        Instant now = clock.instant();
        Map<String, Object> data = data(request);
        String unsubscribe = tracking.map(t -> t.unsubscribe(request.profile().id(), request.messageId(), now)).orElse("");
        data.put("unsubscribe_url", unsubscribe);
        List<String> problems = new ArrayList<>();
        List<String> fallbacks = new ArrayList<>();

        String subject = text(email.subject().render(data), "subject", problems);
        String preheader = text(email.preheader().render(data), "preheader", problems);
        // every piece renders straight into this one buffer, made UTF-16 while empty (the link
        // markers are not Latin-1, and inflating a half-full buffer copies it) and only then sized:
        // a 32 K Latin-1 buffer inflated was 32 KB allocated, 64 KB allocated and copied (3.4% of a
        // price-watch message, JFR)
        StringBuilder html = BODIES.take(32 * 1024);
        for (CompiledEmail.Piece piece : email.pieces()) {
            switch (piece) {
                case CompiledEmail.Static s -> {
                    if (s.html().renderTo(data, html) instanceof RenderOutcome.Failed f) {
                        problems.add("layout: " + f.message());
                    }
                }
                case CompiledEmail.Slot slot -> renderSlot(email, slot, request, data, now, html, fallbacks);
            }
        }
        String body = html.toString();
        BODIES.give(html);
        HtmlFinisher.Finished finished = finisher.finish(body, clean(preheader), tracking, request.profile().id(),
                request.messageId(), now, email.text());
        problems.addAll(finished.problems());
        String templateText = stripDataSpans(subject);
        if (subject.isBlank() || clean(subject).isBlank()) {
            problems.add("empty subject");
        }
        if (templateText.contains("{{") || templateText.contains("{%")) {
            problems.add("unresolved Liquid in the subject");
        }
        if (hasLiquidDelimiter(body)) {
            int at = body.contains("{{") ? body.indexOf("{{") : body.indexOf("{%");
            problems.add("unresolved Liquid in the HTML near: " + body.substring(at, Math.min(body.length(), at + 40)));
        }
        if (finished.text().isBlank()) {
            problems.add("empty body");
        }
        if (!problems.isEmpty()) {
            errors.record(email.id());
            return new Result.Refused(problems, fallbacks);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (tracking.isPresent()) {
            String mailto = tracking.get().unsubscribeMailto().map(m -> ", <mailto:" + m + ">").orElse("");
            headers.put("List-Unsubscribe", "<" + unsubscribe + ">" + mailto);
            headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        Optional<String> ampPart = email.amp().isPresent() && ampFeeds.isPresent()
                ? amp(email, email.amp().get(), clean(subject), request, data, now, fallbacks) : Optional.empty();
        return new Result.Rendered(new RenderedMessage(clean(subject), clean(preheader), finished.html(),
                finished.text(), ampPart, headers, fallbacks));
    }

    /**
     * The AMP part, composed by the open-time {@link AmpEmailComposer} from this recipient's
     * rendering of the declared header, fallback and footer. When it cannot be made the message
     * goes without it (HTML and text are complete) and {@code fallbacksUsed} says why.
     */
    private Optional<String> amp(CompiledEmail email, CompiledEmail.CompiledAmp a, String subject, Request request,
                                 Map<String, Object> data, Instant now, List<String> fallbacks) {
        List<String> problems = new ArrayList<>();
        String header = text(a.header().render(data), "amp header", problems);
        String fallback = text(a.fallback().render(data), "amp fallback", problems);
        String footer = text(a.footer().render(data), "amp footer", problems);
        if (!problems.isEmpty()) {
            errors.record(email.id());
            fallbacks.add("amp (" + String.join("; ", problems) + ")");
            return Optional.empty();
        }
        try {
            String url = ampFeeds.get().feedUrl(request.profile().id(), request.messageId(), email.key(), now);
            return Optional.of(amp.compose(new AmpFeedBlock(subject, a.css(), header, a.item(), fallback, footer,
                    a.height()), url));
        } catch (IllegalArgumentException e) {
            fallbacks.add("amp (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    private void renderSlot(CompiledEmail email, CompiledEmail.Slot slot, Request request, Map<String, Object> data,
                            Instant now, StringBuilder html, List<String> fallbacks) {
        Map<String, Object> blockData = new HashMap<>(data);
        String missing = null;
        for (EmailTemplate.Input in : slot.inputs()) {
            Optional<Object> v = JsonValues.at(data, in.path()).filter(x -> !(x instanceof String s && s.isBlank()));
            if (v.isEmpty()) {
                v = in.defaultValue();
            }
            if (v.isEmpty()) {
                missing = in.name();
                break;
            }
            blockData.put(in.name(), v.get());
        }
        String reason;
        if (missing != null) {
            reason = "missing input " + missing;
        } else {
            var chosen = slot.body();
            for (CompiledEmail.CompiledVariant v : slot.variants()) {
                if (v.condition().holds(request.profile(), now)) {
                    chosen = v.html();
                    break;
                }
            }
            if (!(chosen.renderTo(blockData, html) instanceof RenderOutcome.Failed f)) {
                return;
            }
            reason = "render error: " + f.message();
            errors.record(email.id());
        }
        fallbacks.add(slot.blockKey() + " (" + reason + ")");
        if (slot.fallback().isPresent() && slot.fallback().get().renderTo(data, html) instanceof RenderOutcome.Failed) {
            errors.record(email.id());
        }
    }

    /** The variables every template sees. */
    static Map<String, Object> data(Request r) {
        Map<String, Object> profile = new LinkedHashMap<>(r.profile().traitValues());
        profile.put("id", r.profile().id());
        Map<String, Object> data = new HashMap<>();
        data.put("profile", JsonValues.freeze(profile));
        data.put("event", r.event());
        data.put("message", Map.of("id", r.messageId()));
        Object tz = profile.get("timezone");
        if (tz != null) {
            data.put("timezone", tz);
        }
        Object locale = profile.get("locale");
        if (locale != null) {
            data.put("locale", locale);
        }
        data.putAll(r.extra());
        return data;
    }

    private static String text(RenderOutcome o, String where, List<String> problems) {
        return switch (o) {
            case RenderOutcome.Rendered r -> r.output();
            case RenderOutcome.Failed f -> {
                problems.add(where + ": " + f.message());
                yield "";
            }
        };
    }

    /** Whether {@code {{} or {@code {%} occurs: one vectorised scan for "{" instead of two substring searches of the body. */
    private static boolean hasLiquidDelimiter(String s) {
        for (int k = s.indexOf('{'); k >= 0 && k + 1 < s.length(); k = s.indexOf('{', k + 1)) {
            char next = s.charAt(k + 1);
            if (next == '{' || next == '%') {
                return true;
            }
        }
        return false;
    }

    private static String stripDataSpans(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean inData = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == Escapes.DATA_START) {
                inData = true;
            } else if (c == Escapes.DATA_END) {
                inData = false;
            } else if (!inData) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String clean(String s) {
        return s.replace(String.valueOf(Escapes.DATA_START), "").replace(String.valueOf(Escapes.DATA_END), "").strip();
    }
}
