package io.tessera.server.webhook;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.tessera.server.ApiException;
import io.tessera.server.JsonBodies;
import io.tessera.webhook.WebhookEvent;
import io.tessera.webhook.WebhookStore;
import io.tessera.webhook.WebhookSubscription;
import java.net.URI;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhooks admin API: {@code /api/v1/webhooks} (create, list, get, delete; the secret is
 * write-only), {@code GET /api/v1/webhooks/dead-letters} and
 * {@code POST /api/v1/webhooks/dead-letters/{id}/retry}.
 */
final class WebhookRoutes {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebhookStore store;
    private final InstantSource clock;

    WebhookRoutes(WebhookStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    void register(JavalinConfig config) {
        config.routes.get("/api/v1/webhooks/dead-letters", this::deadLetters);
        config.routes.post("/api/v1/webhooks/dead-letters/{id}/retry", this::retry);
        config.routes.post("/api/v1/webhooks", this::create);
        config.routes.get("/api/v1/webhooks", ctx -> JsonBodies.write(ctx, 200, Map.of("webhooks", store.subscriptions().stream().map(WebhookRoutes::view).toList())));
        config.routes.get("/api/v1/webhooks/{id}", ctx -> store.subscription(ctx.pathParam("id")).ifPresentOrElse(
                s -> JsonBodies.write(ctx, 200, view(s)), () -> notFound(ctx)));
        config.routes.delete("/api/v1/webhooks/{id}", ctx -> {
            if (store.delete(ctx.pathParam("id"))) {
                ctx.status(204);
            } else {
                notFound(ctx);
            }
        });
    }

    private void create(Context ctx) {
        JsonNode body = JsonBodies.read(ctx);
        Optional<String> problem = validate(body);
        if (problem.isPresent()) {
            throw new ApiException("invalid_webhook", problem.get());
        }
        Set<String> events = new LinkedHashSet<>();
        body.path("events").forEach(e -> events.add(e.asString()));
        WebhookSubscription s = new WebhookSubscription("wh_" + UUID.randomUUID().toString().replace("-", ""),
                body.path("url").asString(), body.path("secret").asString(), events, clock.instant());
        store.save(s);
        JsonBodies.write(ctx, 201, view(s));
    }

    private static Optional<String> validate(JsonNode body) {
        if (body == null || !body.path("url").isString()) {
            return Optional.of("\"url\" (an http or https URL) is required");
        }
        try {
            URI u = URI.create(body.path("url").asString());
            if (!u.isAbsolute() || u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                return Optional.of("\"url\" must be an absolute http or https URL");
            }
        } catch (IllegalArgumentException e) {
            return Optional.of("\"url\" is not a URL: " + e.getMessage());
        }
        if (!body.path("secret").isString() || body.path("secret").asString().length() < 16) {
            return Optional.of("\"secret\" (at least 16 characters; deliveries are signed with it) is required");
        }
        if (!body.path("events").isArray() || body.path("events").isEmpty()) {
            return Optional.of("\"events\" must list at least one of " + WebhookEvent.TYPES.stream().sorted().toList());
        }
        for (JsonNode e : body.path("events")) {
            if (!e.isString() || !WebhookEvent.TYPES.contains(e.asString())) {
                return Optional.of("unknown event type " + e + "; known: " + WebhookEvent.TYPES.stream().sorted().toList());
            }
        }
        return Optional.empty();
    }

    private void deadLetters(Context ctx) {
        int limit = Math.max(1, Math.min(1000, Optional.ofNullable(ctx.queryParam("limit")).map(Integer::parseInt).orElse(100)));
        List<Map<String, Object>> out = new ArrayList<>();
        for (WebhookStore.Delivery d : store.deadLetters(limit)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("webhookId", d.subscriptionId());
            m.put("eventId", d.eventId());
            m.put("eventType", d.eventType());
            m.put("attempts", d.attempts());
            m.put("lastError", d.lastError().orElse(""));
            m.put("deadSince", d.updatedAt().toString());
            m.put("body", JSON.readTree(d.body()));
            out.add(m);
        }
        JsonBodies.write(ctx, 200, Map.of("deadLetters", out));
    }

    private void retry(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            notFound(ctx);
            return;
        }
        if (store.revive(id, clock.instant())) {
            JsonBodies.write(ctx, 202, Map.of("id", id, "status", "PENDING"));
        } else {
            notFound(ctx);
        }
    }

    private static Map<String, Object> view(WebhookSubscription s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("url", s.url());
        m.put("events", s.events().stream().sorted().toList());
        m.put("createdAt", s.createdAt().toString());
        return m;
    }

    private static void notFound(Context ctx) {
        throw new ApiException("not_found", "no such webhook or dead letter");
    }


}
