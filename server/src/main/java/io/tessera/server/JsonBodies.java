package io.tessera.server;

import io.javalin.http.Context;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading a request's JSON body and writing a JSON answer, the same way in every route: a body
 * that is not JSON is refused with {@code invalid_json} (400, through {@link ErrorMapper}) and the
 * parser's first line of explanation, so clients see where their JSON broke.
 */
public final class JsonBodies {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonBodies() {
    }

    /** The body as a JSON tree; an empty body is an empty object when {@code emptyIsObject}. */
    public static JsonNode read(Context ctx, boolean emptyIsObject) {
        byte[] body = ctx.bodyAsBytes();
        if (emptyIsObject && new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new ApiException("invalid_json", "the body is empty; expected a JSON document");
            }
            return node;
        } catch (JacksonException e) {
            throw new ApiException("invalid_json", "the body is not JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    /** The body as a JSON tree; an empty body is refused. */
    public static JsonNode read(Context ctx) {
        return read(ctx, false);
    }

    /** Answers {@code status} with {@code body} as JSON. */
    public static void write(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
    }
}
