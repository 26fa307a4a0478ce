package io.tessera.server;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards the admin API ({@code /api/*}): a bearer token, compared in constant time. Registered as
 * a before-handler, so every feature's admin routes are covered without doing anything. The
 * OpenAPI document ({@code /api/openapi.json}) is the one public path under it.
 */
final class AdminAuth {
    private final byte[] token;

    AdminAuth(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    void check(Context ctx) {
        if (ctx.path().equals("/api/openapi.json")) {
            return; // the API's description is public, like /healthz
        }
        String h = ctx.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException("missing_admin_token", "the admin API needs 'Authorization: Bearer <admin token>'");
        }
        byte[] given = h.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw new ApiException("invalid_admin_token", "the admin token is not valid");
        }
    }
}
