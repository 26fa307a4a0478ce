package io.tessera.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.tessera.ingest.IngestCodes;
import io.tessera.quality.Reason;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where error codes become HTTP statuses and error bodies. Every error answer is
 * {@code {"error":{"code","message","details":[…]}}}; a {@link Reason} in the details is written as
 * {@code {"code","pointer","message"}} (plus {@code index} for a batch element).
 */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    private static final Set<String> TOO_LARGE = Set.of(IngestCodes.EVENT_TOO_LARGE, IngestCodes.BATCH_TOO_LARGE, IngestCodes.TOO_MANY_EVENTS);
    private static final Set<String> UNAUTHORIZED = Set.of("missing_write_key", "invalid_write_key", "missing_admin_token", "invalid_admin_token",
            "missing_signature", "invalid_signature", "stale_request");

    private final Json json;

    public ErrorMapper(Json json) {
        this.json = json;
    }

    /** The HTTP status of an error code. Unknown codes are client errors (400). */
    public static int statusOf(String code) {
        if (TOO_LARGE.contains(code)) {
            return 413;
        }
        if (UNAUTHORIZED.contains(code)) {
            return 401;
        }
        return switch (code) {
            case "not_found", "unknown_source", "invalid_link", "no_outbox" -> 404;
            case "method_not_allowed" -> 405;
            case "conflict", "segment_in_use", "triggered_campaign", "campaign_cancelled", "campaign_paused", "campaign_finished" -> 409;
            case "unsupported_media_type", "unsupported_encoding" -> 415;
            case "template_refused" -> 422;
            case "rate_limited" -> 429;
            case "shutting_down", "unavailable" -> 503;
            case "internal_error" -> 500;
            default -> 400;
        };
    }

    public void register(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> write(ctx, e.code(), e.getMessage(), e.details()));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            String code = switch (e.getStatus()) {
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                case 413 -> IngestCodes.BATCH_TOO_LARGE;
                default -> "http_" + e.getStatus();
            };
            write(ctx, code, e.getMessage(), List.of(), e.getStatus());
        });
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
            write(ctx, "internal_error", "internal error; see the server log", List.of());
        });
        routes.error(404, "*", ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                write(ctx, "not_found", "no route for " + ctx.method() + " " + ctx.path(), List.of(), 404);
            }
        });
    }

    public void write(Context ctx, String code, String message, List<?> details) {
        write(ctx, code, message, details, statusOf(code));
    }

    private void write(Context ctx, String code, String message, List<?> details, int status) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message == null ? code : message);
        error.put("details", details.stream().map(ErrorMapper::detail).toList());
        ctx.status(status).contentType("application/json").result(json.write(Map.of("error", error)));
    }

    private static Object detail(Object d) {
        if (d instanceof Reason r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", r.code());
            m.put("pointer", r.pointer());
            m.put("message", r.message());
            return m;
        }
        return d;
    }
}
