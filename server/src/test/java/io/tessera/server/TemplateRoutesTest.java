package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The templates API end to end on a running Tessera: save versions, preview with data, lint. */
class TemplateRoutesTest {

    @TempDir
    Path dir;

    @Test
    void savePreviewAndLintATemplate() throws Exception {
        try (RunningTessera t = new RunningTessera(dir)) {
            Map<String, Object> body = Map.of(
                    "subject", "Hi {{ profile.firstName | default: 'there' }}",
                    "preheader", "News",
                    "html", "<html><body>{{ blocks }}</body></html>",
                    "blocks", Map.of(
                            "hero", Map.of("body", "<p style=\"display:flex\">Hello {{ profile.firstName }}</p>", "fallback", "<p>Hello</p>"),
                            "offer", Map.of("body", "<p>{{ profile.code }}</p>")));
            HttpResponse<String> v1 = send(t, "PUT", "/api/v1/templates/welcome", RunningTessera.JSON.writeValueAsString(body));
            assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);
            assertThat(RunningTessera.json(v1.body())).containsEntry("version", 1);
            HttpResponse<String> v2 = send(t, "PUT", "/api/v1/templates/welcome", RunningTessera.JSON.writeValueAsString(body));
            assertThat(RunningTessera.json(v2.body())).containsEntry("version", 2);

            HttpResponse<String> preview = send(t, "POST", "/api/v1/templates/welcome/preview",
                    "{\"data\": {\"profile\": {\"firstName\": \"<b>Ann</b>\", \"code\": \"X1\"}}}");
            assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
            Map<String, Object> p = RunningTessera.json(preview.body());
            assertThat(p).containsEntry("subject", "Hi <b>Ann</b>").containsEntry("fallbacksUsed", List.of());
            assertThat((String) p.get("html")).contains("Hello &lt;b&gt;Ann&lt;/b&gt;");

            Map<String, Object> lint = t.getJson("/api/v1/templates/welcome/lint");
            assertThat(lint).containsEntry("fallbackCoverage", false);
            assertThat(lint.get("findings").toString()).contains("profile.code");
            assertThat(lint.get("findings").toString()).as("caniemail bundled in the jar").contains("css-display-flex")
                    .contains("outlook/windows");

            HttpResponse<String> bad = send(t, "PUT", "/api/v1/templates/broken", "{\"html\": \"<p>{{ x | nope }}</p>\"}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("invalid_template").contains("unknown_filter");
            assertThat(t.get("/api/v1/templates/missing").statusCode()).isEqualTo(404);
        }
    }

    private static HttpResponse<String> send(RunningTessera t, String method, String path, String json) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(t.base() + path))
                .header("Authorization", "Bearer " + RunningTessera.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
        return t.http.send(r, HttpResponse.BodyHandlers.ofString());
    }
}
