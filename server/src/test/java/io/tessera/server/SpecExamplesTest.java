package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Posts every JSON example of Segment's spec and HTTP API documentation
 * ({@code shared/data/tracking-api/segment-spec-json-examples.json}, read in place) and checks it
 * is taken as Segment would take it, including the clock-skew rule on the stored event.
 */
class SpecExamplesTest {
    @TempDir static Path dir;
    static RunningTessera server;
    static List<Map<String, Object>> examples;

    /** The untyped examples of the HTTP API page, by line: which endpoint each one documents. */
    static final Map<Integer, String> HTTP_API_PAGE = Map.of(110, "identify", 151, "track", 192, "page", 225, "screen",
            260, "group", 299, "alias", 343, "batch", 428, "identify");

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() throws Exception {
        Path file = Path.of(System.getProperty("tessera.shared.data"), "tracking-api", "segment-spec-json-examples.json");
        examples = (List<Map<String, Object>>) RunningTessera.json(Files.readString(file)).get("examples");
        server = new RunningTessera(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static boolean hasIdentity(Map<String, Object> json) {
        return json.get("userId") != null || json.get("anonymousId") != null;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTypedExampleIsAcceptedOnItsEndpointOrRejectedForMissingIdentity() {
        int posted = 0;
        for (Map<String, Object> ex : examples) {
            if (ex.get("type") == null) {
                continue;
            }
            Map<String, Object> json = (Map<String, Object>) ex.get("json");
            HttpResponse<String> r = server.post("/v1/" + ex.get("type"), json);
            String where = ex.get("source") + ":" + ex.get("line") + " -> " + r.body();
            if (hasIdentity(json)) {
                assertThat(r.statusCode()).as(where).isEqualTo(200);
            } else {
                assertThat(r.statusCode()).as(where).isEqualTo(400);
                assertThat(r.body()).as(where).contains("missing_identity");
            }
            posted++;
        }
        assertThat(posted).isEqualTo(25);
    }

    @Test
    @SuppressWarnings("unchecked")
    void typedExamplesWithAnIdentityAreAllTakenInOneBatch() {
        List<Object> batch = new ArrayList<>();
        for (Map<String, Object> ex : examples) {
            Map<String, Object> json = (Map<String, Object>) ex.get("json");
            if (ex.get("type") != null && hasIdentity(json)) {
                batch.add(json);
            }
        }
        HttpResponse<String> r = server.post("/v1/batch", Map.of("batch", batch));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"success\":true}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void httpApiPageExamplesAuthenticateWithTheWriteKeyInTheBody() {
        for (Map<String, Object> ex : examples) {
            Integer line = (Integer) ex.get("line");
            if (!String.valueOf(ex.get("source")).endsWith("http-api/index.md") || !HTTP_API_PAGE.containsKey(line)) {
                continue;
            }
            String body = RunningTessera.JSON.writeValueAsString(ex.get("json")).replace("YOUR_WRITE_KEY", RunningTessera.WRITE_KEY);
            HttpResponse<String> r = server.post("/v1/" + HTTP_API_PAGE.get(line), body.getBytes(StandardCharsets.UTF_8), null);
            assertThat(r.statusCode()).as("line " + line + ": " + r.body()).isEqualTo(200);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFullTrackExampleMapsEveryFieldAndCorrectsClockSkew() {
        Map<String, Object> full = examples.stream()
                .filter(ex -> String.valueOf(ex.get("source")).endsWith("spec/track.md") && ((Map<String, Object>) ex.get("json")).containsKey("sentAt"))
                .map(ex -> (Map<String, Object>) ex.get("json")).findFirst().orElseThrow();
        Map<String, Object> sent = new java.util.LinkedHashMap<>(full);
        sent.put("userId", "skew-user");
        sent.put("messageId", "skew-message-1");
        assertThat(server.post("/v1/track", sent).statusCode()).isEqualTo(200);
        server.awaitProfiles();

        Map<String, Object> profile = server.getJson("/api/v1/profiles/skew-user");
        Map<String, Object> stored = ((List<Map<String, Object>>) profile.get("timeline")).get(0);
        assertThat(stored).containsEntry("messageId", "skew-message-1").containsEntry("event", full.get("event"))
                .containsEntry("properties", full.get("properties")).containsEntry("anonymousId", full.get("anonymousId"));
        assertThat((Map<String, Object>) stored.get("context")).containsAllEntriesOf((Map<String, Object>) full.get("context"));
        Instant receivedAt = Instant.parse((String) stored.get("receivedAt"));
        Duration skew = Duration.between(Instant.parse((String) full.get("timestamp")), Instant.parse((String) full.get("sentAt")));
        assertThat(Instant.parse((String) stored.get("timestamp"))).isEqualTo(receivedAt.minus(skew));
        assertThat(stored.get("sentAt")).isEqualTo(Instant.parse((String) full.get("sentAt")).toString());
    }
}
