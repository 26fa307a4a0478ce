package io.tessera.server.delivery;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.delivery.Suppression;
import io.tessera.delivery.SuppressionList;
import io.tessera.server.ApiException;
import io.tessera.server.JsonBodies;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The suppression list over the API — the third way to unsubscribe besides the one-click POST and
 * the link: {@code POST /api/v1/suppressions} with {@code {"address": "…", "reason":
 * "unsubscribe"|"manual", "detail": "…"}} puts an address on the list every send checks (201; 200
 * with the first entry when it was already there: the first reason wins);
 * {@code GET /api/v1/suppressions?limit=} lists oldest first; {@code GET /api/v1/suppressions/{address}}
 * answers one entry or 404. Bounces and complaints arrive through their own paths (SMTP replies,
 * DSN mailbox, bounce webhook), so the API only takes the two reasons a person gives.
 * Stateless; thread-safe as the list is.
 */
public final class SuppressionRoutes {


    private final SuppressionList suppressions;
    private final InstantSource clock;

    public SuppressionRoutes(SuppressionList suppressions, InstantSource clock) {
        this.suppressions = suppressions;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/suppressions", this::add);
        routes.get("/api/v1/suppressions", this::list);
        routes.get("/api/v1/suppressions/{address}", ctx -> suppressions.find(ctx.pathParam("address"))
                .ifPresentOrElse(s -> JsonBodies.write(ctx, 200, view(s)),
                        () -> {
                            throw new ApiException("not_found", "not suppressed", List.of());
                        }));
    }

    private void add(Context ctx) {
        JsonNode body = JsonBodies.read(ctx);
        List<Map<String, String>> problems = new ArrayList<>();
        String address = body == null ? "" : body.path("address").asString("").strip();
        if (!address.matches("[^@\\s]+@[^@\\s]+")) {
            problems.add(Map.of("pointer", "/address", "message", "required: an email address"));
        }
        String reasonName = body == null ? "unsubscribe" : body.path("reason").asString("unsubscribe");
        Optional<Suppression.Reason> reason = switch (reasonName) {
            case "unsubscribe" -> Optional.of(Suppression.Reason.UNSUBSCRIBE);
            case "manual" -> Optional.of(Suppression.Reason.MANUAL);
            default -> Optional.empty();
        };
        if (reason.isEmpty()) {
            problems.add(Map.of("pointer", "/reason", "message", "unsubscribe or manual"));
        }
        if (!problems.isEmpty()) {
            throw new ApiException("invalid_suppression", problems.size() + " problem(s)", problems);
        }
        Optional<Suppression> before = suppressions.find(address);
        if (before.isPresent()) {
            JsonBodies.write(ctx, 200, view(before.get()));
            return;
        }
        suppressions.suppress(new Suppression(address, reason.get(), clock.instant(), body.path("detail").asString("api")));
        JsonBodies.write(ctx, 201, view(suppressions.find(address).orElseThrow()));
    }

    private void list(Context ctx) {
        int limit;
        try {
            limit = Math.clamp(Integer.parseInt(Optional.ofNullable(ctx.queryParam("limit")).orElse("100")), 1, 10_000);
        } catch (NumberFormatException e) {
            throw new ApiException("invalid_limit", "limit must be a number", List.of());
        }
        JsonBodies.write(ctx, 200, Map.of("suppressions", suppressions.list(limit).stream().map(SuppressionRoutes::view).toList()));
    }

    private static Map<String, Object> view(Suppression s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", s.address());
        m.put("reason", s.reason().name().toLowerCase(Locale.ROOT));
        m.put("since", s.since().toString());
        m.put("detail", s.detail());
        return m;
    }


}
