package io.tessera.server.ingest;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The site snippet {@code GET /t/s.js} (tessera.js, a resource next to this class): page, track and
 * identify from any website to this server's {@code /v1/batch}, with an anonymous id kept in a
 * first-party cookie. Cached by browsers for an hour.
 */
public final class SnippetRoutes {
    private final byte[] script;

    public SnippetRoutes() {
        try (InputStream in = SnippetRoutes.class.getResourceAsStream("tessera.js")) {
            if (in == null) {
                throw new IllegalStateException("tessera.js is missing from the jar");
            }
            this.script = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void register(RoutesConfig routes) {
        routes.get("/t/s.js", ctx -> ctx.contentType("application/javascript; charset=utf-8")
                .header("Cache-Control", "public, max-age=3600")
                .header("Access-Control-Allow-Origin", "*")
                .result(script));
    }
}
