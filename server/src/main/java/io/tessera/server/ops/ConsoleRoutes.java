package io.tessera.server.ops;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /}: the web console, one static page (console.html beside this class) that reads the
 * admin API with the token the user types (kept in the tab's sessionStorage): stats, segments with
 * their counts, campaigns, templates, the newest quarantined records and a profile lookup. It
 * writes API data with {@code textContent} only (never as HTML), and its Content-Security-Policy
 * allows scripts only from the page itself and this server, and no framing.
 */
public final class ConsoleRoutes {
    private final byte[] page;

    public ConsoleRoutes() {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream("console.html")) {
            if (in == null) {
                throw new IllegalStateException("console.html is missing from the jar");
            }
            this.page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void register(RoutesConfig routes) {
        routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8")
                .header("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-cache")
                .result(page));
    }
}
