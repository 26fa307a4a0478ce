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

/**
 * The bad input on the quality API — schemas that are not JSON Schema, taxonomy CSVs with
 * bad rows, replays that still fail, invalid settings — answers a 4xx naming the problem, and
 * nothing stored changes: checked after a restart, on real SQLite.
 */
class QualityBadInputTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> admin(RunningTessera t, String method, String path, String body) throws Exception {
        return t.http.send(HttpRequest.newBuilder(URI.create(t.base() + path))
                .header("Authorization", "Bearer " + RunningTessera.ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void failedRequestsAre4xxNamingTheProblemAndChangeNothingStored() throws Exception {
        String quarantinedId;
        try (RunningTessera t = new RunningTessera(dir)) {
            admin(t, "PUT", "/api/v1/tracking-plans/Signed%20Up", "{\"mode\":\"block\",\"schema\":{\"type\":\"object\",\"required\":[\"plan\"]}}");
            admin(t, "PUT", "/api/v1/taxonomy", "raw_label,canonical\nMens Shoes,Men > Footwear\n");
            t.post("/v1/track", "{\"userId\":\"u1\",\"event\":\"Signed Up\",\"properties\":{}}");
            @SuppressWarnings("unchecked") List<Map<String, Object>> records =
                    (List<Map<String, Object>>) t.getJson("/api/v1/quarantine?code=schema_violation").get("records");
            quarantinedId = (String) records.getFirst().get("id");
            long events = ((Number) t.getJson("/api/v1/stats").get("events")).longValue();

            HttpResponse<String> schema = admin(t, "PUT", "/api/v1/tracking-plans/Signed%20Up",
                    "{\"mode\":\"allow\",\"schema\":{\"type\":\"object\",\"required\":\"plan\"}}");
            assertThat(schema.statusCode()).isEqualTo(400);
            assertThat(schema.body()).contains("invalid_schema").contains("/required");
            HttpResponse<String> taxonomy = admin(t, "PUT", "/api/v1/taxonomy", "raw_label,canonical\nBoots,,extra\n");
            assertThat(taxonomy.statusCode()).isEqualTo(400);
            assertThat(taxonomy.body()).contains("invalid_taxonomy").contains("line 2");
            HttpResponse<String> replay = admin(t, "POST", "/api/v1/quarantine/" + quarantinedId + "/replay", null);
            assertThat(replay.statusCode()).isEqualTo(400);
            assertThat(replay.body()).contains("replay_failed").contains("plan");
            HttpResponse<String> settings = admin(t, "PUT", "/api/v1/quality/settings", "{\"unplanned\":\"sometimes\"}");
            assertThat(settings.statusCode()).isEqualTo(400);
            assertThat(settings.body()).contains("/unplanned");

            assertThat(((Number) t.getJson("/api/v1/stats").get("events")).longValue()).isEqualTo(events);
        }
        try (RunningTessera t = new RunningTessera(dir)) {
            assertThat(t.getJson("/api/v1/tracking-plans/Signed%20Up")).containsEntry("version", 1).containsEntry("mode", "block");
            assertThat(t.getJson("/api/v1/taxonomy")).containsEntry("labels", 2);
            assertThat(t.getJson("/api/v1/quarantine/" + quarantinedId)).containsEntry("status", "quarantined");
            assertThat(t.getJson("/api/v1/quality/settings")).containsEntry("unplanned", "allow");
        }
    }
}
