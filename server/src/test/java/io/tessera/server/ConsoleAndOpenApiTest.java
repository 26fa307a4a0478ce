package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console page and the OpenAPI document, read from the running server's router. */
class ConsoleAndOpenApiTest {
    @TempDir Path dir;

    @Test
    void theOpenApiDocumentIsPublicAndListsTheLiveRoutes() {
        try (RunningTessera t = new RunningTessera(dir)) {
            HttpResponse<String> r = t.send(HttpRequest.newBuilder(URI.create(t.base() + "/api/openapi.json")).GET().build());
            assertThat(r.statusCode()).isEqualTo(200);
            Map<String, Object> doc = RunningTessera.json(r.body());
            assertThat(doc.get("openapi")).isEqualTo("3.1.0");
            @SuppressWarnings("unchecked") Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
            assertThat(paths).containsKeys("/v1/track", "/v1/batch", "/api/v1/segments/{key}", "/api/v1/profiles/{userId}", "/hooks/{source}", "/healthz");
            assertThat(paths.get("/api/v1/segments/{key}").toString()).contains("put").contains("adminToken").contains("name=key");
            assertThat(paths.get("/v1/track").toString()).contains("writeKey");
            // the rest of the admin API still needs the token
            HttpResponse<String> stats = t.send(HttpRequest.newBuilder(URI.create(t.base() + "/api/v1/stats")).GET().build());
            assertThat(stats.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void theConsoleIsServedAtTheRootWithASafeContentPolicy() {
        try (RunningTessera t = new RunningTessera(dir)) {
            HttpResponse<String> r = t.send(HttpRequest.newBuilder(URI.create(t.base() + "/")).GET().build());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
            assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));
            assertThat(r.body()).contains("Tessera console").contains("/api/v1/stats").doesNotContain("innerHTML");
        }
    }
}
