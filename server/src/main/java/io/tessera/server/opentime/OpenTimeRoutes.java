package io.tessera.server.opentime;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.opentime.FeedCatalog;
import io.tessera.opentime.FeedDeclaration;
import io.tessera.opentime.FeedResolver;
import io.tessera.opentime.ImageDecision;
import io.tessera.opentime.ImageSlot;
import io.tessera.opentime.OpenTimeClaim;
import io.tessera.opentime.OpenTimeTokens;
import io.tessera.opentime.ResolvedFeed;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The open-time endpoints (DESIGN.md §5): {@code GET /o/{token}/feed.json}, {@code feed.xml},
 * {@code amp.json} (the amp-list endpoint, with the AMP for Email CORS protocol) and
 * {@code img/{slot}} (a live image: 302 to the chosen picture, or a countdown PNG).
 *
 * <p>Every refusal that concerns the token — malformed, forged, expired, for another purpose,
 * unknown template or slot — is the same 404 with the same body, so a caller learns nothing about
 * which part failed. Limits per client address are checked before the token (enumeration costs
 * the attacker their budget), then per token. Query parameters are never echoed. Responses are
 * {@code no-store}: they are personal and live. Thread-safe (stateless apart from the limits).
 */
public final class OpenTimeRoutes {
    private static final byte[] NOT_FOUND = "{\"error\":{\"code\":\"not_found\",\"message\":\"not found\",\"details\":[]}}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] TOO_MANY = "{\"error\":{\"code\":\"rate_limited\",\"message\":\"too many requests\",\"details\":[]}}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] FORBIDDEN = "{\"error\":{\"code\":\"sender_not_allowed\",\"message\":\"this sender may not read the feed\",\"details\":[]}}"
            .getBytes(StandardCharsets.UTF_8);

    private final OpenTimeTokens tokens;
    private final FeedCatalog declarations;
    private final FeedResolver resolver;
    private final OpenTimeSettings settings;
    private final MeterRegistry metrics;
    private final java.time.InstantSource clock;
    private final RequestLimits perToken;
    private final RequestLimits perIp;
    /** Tokens that verified, with their claims: a message is opened again and again (see {@link #verified}). */
    private final com.github.benmanes.caffeine.cache.Cache<String, OpenTimeClaim> verifiedTokens =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100_000)
                    .expireAfterWrite(java.time.Duration.ofMinutes(1)).build();
    private final java.util.concurrent.ConcurrentMap<String, io.micrometer.core.instrument.Counter> counters =
            new java.util.concurrent.ConcurrentHashMap<>();

    public OpenTimeRoutes(OpenTimeTokens tokens, FeedCatalog declarations, FeedResolver resolver,
                          OpenTimeSettings settings, java.time.InstantSource clock, MeterRegistry metrics) {
        this.clock = clock;
        this.tokens = tokens;
        this.declarations = declarations;
        this.resolver = resolver;
        this.settings = settings;
        this.metrics = metrics;
        this.perToken = new RequestLimits(settings.perTokenPerMinute(), 500_000);
        this.perIp = new RequestLimits(settings.perIpPerMinute(), 100_000);
    }

    public void register(RoutesConfig routes) {
        routes.get("/o/{token}/feed.json", ctx -> feed(ctx, "feed.json"));
        routes.get("/o/{token}/feed.xml", ctx -> feed(ctx, "feed.xml"));
        routes.get("/o/{token}/amp.json", this::ampList);
        routes.get("/o/{token}/img/{slot}", this::image);
    }

    private record Granted(OpenTimeClaim claim, FeedDeclaration declaration) {}

    private void feed(Context ctx, String endpoint) {
        Optional<Granted> g = grant(ctx, endpoint, OpenTimeClaim.Use.FEED);
        if (g.isEmpty()) {
            return;
        }
        ResolvedFeed feed = resolve(g.get());
        noStore(ctx);
        if (endpoint.equals("feed.xml")) {
            ctx.contentType("application/xml; charset=utf-8").result(FeedWriter.xml(feed.values()));
        } else {
            ctx.contentType("application/json").result(FeedWriter.json(feed.values()));
        }
        count(endpoint, "ok");
    }

    private void ampList(Context ctx) {
        Optional<Granted> g = grant(ctx, "amp.json", OpenTimeClaim.Use.FEED);
        if (g.isEmpty()) {
            return;
        }
        if (!ampCors(ctx)) {
            count("amp.json", "sender_refused");
            ctx.status(403).contentType("application/json").result(FORBIDDEN);
            return;
        }
        ResolvedFeed feed = resolve(g.get());
        noStore(ctx);
        ctx.contentType("application/json").result(FeedWriter.json(Map.of("items", List.of(feed.values()))));
        count("amp.json", "ok");
    }

    /**
     * AMP for Email CORS. Version 2: the client sends {@code AMP-Email-Sender} and we answer
     * {@code AMP-Email-Allow-Sender} for an allowed sender. Version 1: the client sends
     * {@code Origin} (an email client's origin) and {@code __amp_source_origin} (the sender); we
     * answer {@code Access-Control-Allow-Origin} and {@code AMP-Access-Control-Allow-Source-Origin}.
     * Anything else — no headers, an unknown sender or origin, a second {@code __amp_source_origin} — is refused.
     */
    private boolean ampCors(Context ctx) {
        String sender = ctx.header("AMP-Email-Sender");
        if (sender != null) {
            if (!settings.senderAllowed(sender)) {
                return false;
            }
            ctx.header("AMP-Email-Allow-Sender", sender.toLowerCase(java.util.Locale.ROOT));
            return true;
        }
        String origin = ctx.header("Origin");
        List<String> source = ctx.queryParamMap().getOrDefault("__amp_source_origin", List.of());
        if (origin == null || source.size() != 1 || !settings.ampOrigins().contains(origin)
                || !settings.senderAllowed(source.get(0))) {
            return false;
        }
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Allow-Credentials", "true");
        ctx.header("AMP-Access-Control-Allow-Source-Origin", source.get(0).toLowerCase(java.util.Locale.ROOT));
        ctx.header("Access-Control-Expose-Headers", "AMP-Access-Control-Allow-Source-Origin");
        ctx.header("Vary", "Origin");
        return true;
    }

    private void image(Context ctx) {
        Optional<Granted> g = grant(ctx, "img", OpenTimeClaim.Use.IMAGE);
        if (g.isEmpty()) {
            return;
        }
        Optional<ImageSlot> slot = g.get().declaration().image(ctx.pathParam("slot"));
        if (slot.isEmpty()) {
            notFound(ctx, "img");
            return;
        }
        ImageDecision decision = resolver.chooseImage(g.get().declaration(), slot.get(), g.get().claim().profileId());
        // Mail image proxies (Gmail's googleusercontent proxy, Outlook's) cache what they may;
        // these headers ask them to come back on every open so the choice stays live.
        ctx.header("Cache-Control", "no-cache, no-store, must-revalidate, private, max-age=0");
        ctx.header("Pragma", "no-cache");
        ctx.header("Expires", "0");
        switch (decision) {
            case ImageDecision.Redirect r -> {
                ctx.header("Location", r.url()).status(302);
                count("img", r.fallback() ? "fallback" : "ok");
            }
            case ImageDecision.CountdownImage c -> {
                ctx.contentType("image/png").result(CountdownPng.render(c.remaining()));
                count("img", "countdown");
            }
        }
    }

    private Optional<Granted> grant(Context ctx, String endpoint, OpenTimeClaim.Use use) {
        if (!perIp.tryAcquire(ctx.ip())) {
            tooMany(ctx, endpoint);
            return Optional.empty();
        }
        String token = ctx.pathParam("token");
        Optional<Granted> g = verified(token, use)
                .flatMap(c -> declarations.declaration(c.templateKey()).map(d -> new Granted(c, d)));
        if (g.isEmpty()) {
            notFound(ctx, endpoint);
            return Optional.empty();
        }
        if (!perToken.tryAcquire(token)) {
            tooMany(ctx, endpoint);
            return Optional.empty();
        }
        return g;
    }

    /**
     * Verifies a token, remembering valid ones for a minute so that repeated opens skip the HMAC
     * and decoding (bench: FeedPathBenchmark.verifyToken). Only tokens that verified are kept (a
     * forger cannot fill the cache), the use is part of the check, and expiry is checked on every
     * request against the remembered claim.
     */
    private Optional<OpenTimeClaim> verified(String token, OpenTimeClaim.Use use) {
        OpenTimeClaim known = verifiedTokens.getIfPresent(token);
        if (known == null) {
            Optional<OpenTimeClaim> fresh = tokens.verify(token, use);
            fresh.ifPresent(c -> verifiedTokens.put(token, c));
            return fresh;
        }
        return known.use() == use && clock.instant().isBefore(known.expiresAt()) ? Optional.of(known) : Optional.empty();
    }

    private ResolvedFeed resolve(Granted g) {
        ResolvedFeed feed = resolver.resolve(g.declaration(), g.claim().profileId());
        if (!feed.fallbacksUsed().isEmpty()) {
            metrics.counter("tessera.opentime.fallbacks", "template", g.declaration().templateKey())
                    .increment(feed.fallbacksUsed().size());
        }
        return feed;
    }

    private void notFound(Context ctx, String endpoint) {
        count(endpoint, "not_found");
        ctx.status(404).contentType("application/json").result(NOT_FOUND);
    }

    private void tooMany(Context ctx, String endpoint) {
        count(endpoint, "rate_limited");
        ctx.header("Retry-After", "60").status(429).contentType("application/json").result(TOO_MANY);
    }

    private static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store, private");
        ctx.header("X-Content-Type-Options", "nosniff");
    }

    private void count(String endpoint, String outcome) {
        counters.computeIfAbsent(endpoint + ' ' + outcome,
                k -> metrics.counter("tessera.opentime.requests", "endpoint", endpoint, "outcome", outcome)).increment();
    }
}
