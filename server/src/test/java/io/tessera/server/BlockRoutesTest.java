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

/** The block library end to end: immutable versions with declared inputs, referenced by templates. */
class BlockRoutesTest {

    @TempDir
    Path dir;

    @Test
    void templatesReferenceLibraryBlockVersionsThatNeverChange() throws Exception {
        try (RunningTessera t = new RunningTessera(dir)) {
            HttpResponse<String> v1 = send(t, "PUT", "/api/v1/blocks/greeting", """
                    {"body": "<p>Hello {{ name }}</p>", "fallback": "<p>Hello</p>",
                     "inputs": {"name": {"path": "profile.firstName", "default": "friend"}}}""");
            assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);
            assertThat(RunningTessera.json(v1.body())).containsEntry("version", 1)
                    .containsEntry("inputs", Map.of("name", Map.of("path", "profile.firstName", "default", "friend")));
            HttpResponse<String> v2 = send(t, "PUT", "/api/v1/blocks/greeting", "{\"body\": \"<p>Howdy {{ name }}</p>\","
                    + " \"inputs\": {\"name\": {\"path\": \"profile.firstName\", \"default\": \"partner\"}}}");
            assertThat(RunningTessera.json(v2.body())).containsEntry("version", 2);

            HttpResponse<String> pinned = send(t, "PUT", "/api/v1/templates/hello", """
                    {"subject": "Hi", "html": "<html><body>{{ blocks }}</body></html>",
                     "blocks": [{"ref": "greeting@1"}]}""");
            assertThat(pinned.statusCode()).as(pinned.body()).isEqualTo(200);
            assertThat(RunningTessera.json(pinned.body())).containsEntry("blockVersions", List.of("greeting@1"));
            HttpResponse<String> latest = send(t, "PUT", "/api/v1/templates/howdy", """
                    {"subject": "Hi", "html": "<html><body>{{ blocks }}</body></html>", "blocks": [{"ref": "greeting"}]}""");
            assertThat(RunningTessera.json(latest.body())).containsEntry("blockVersions", List.of("greeting@2"));

            send(t, "PUT", "/api/v1/blocks/greeting", "{\"body\": \"<p>Changed {{ name }}</p>\"}");
            HttpResponse<String> preview = send(t, "POST", "/api/v1/templates/hello/preview", "{\"data\": {\"profile\": {}}}");
            assertThat((String) RunningTessera.json(preview.body()).get("html")).contains("Hello friend").doesNotContain("Changed");

            assertThat(t.getJson("/api/v1/blocks")).containsEntry("blocks", List.of("greeting"));
            assertThat((List<?>) t.getJson("/api/v1/blocks/greeting/versions").get("versions")).hasSize(3);
            assertThat(t.getJson("/api/v1/blocks/greeting/versions/1")).containsEntry("body", "<p>Hello {{ name }}</p>");
            assertThat(t.getJson("/api/v1/blocks/greeting")).containsEntry("version", 3);

            HttpResponse<String> bad = send(t, "PUT", "/api/v1/blocks/broken", "{\"body\": \"<p>{{ x | nope }}</p>\"}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("invalid_block").contains("unknown_filter");
            HttpResponse<String> missing = send(t, "PUT", "/api/v1/templates/dangling", """
                    {"subject": "Hi", "html": "<html><body>{{ blocks }}</body></html>", "blocks": [{"ref": "nope@4"}]}""");
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(missing.body()).contains("no block nope@4");
            assertThat(t.get("/api/v1/blocks/nope").statusCode()).isEqualTo(404);
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
