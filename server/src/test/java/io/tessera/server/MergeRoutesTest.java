package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identity merges through the admin API of a real Tessera on real SQLite: listed, reversed, and the userId rule. */
class MergeRoutesTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> post(RunningTessera t, String path) throws Exception {
        return t.http.send(HttpRequest.newBuilder(URI.create(t.base() + path))
                .header("Authorization", "Bearer " + RunningTessera.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static List<String> members(RunningTessera t) {
        return ((List<Map<String, Object>>) t.getJson("/api/v1/segments/viewers/members").get("members")).stream()
                .map(m -> (String) m.get("profileId")).toList();
    }

    @Test
    void anAdminReversesAMergeSegmentsFollowAndTheSharedIdentifierDoesNotMergeThemAgain() throws Exception {
        try (RunningTessera t = new RunningTessera(dir)) {
            HttpResponse<String> segment = t.http.send(HttpRequest.newBuilder(URI.create(t.base() + "/api/v1/segments/viewers"))
                    .header("Authorization", "Bearer " + RunningTessera.ADMIN_TOKEN).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"name\": \"Viewers\", \"condition\": \"count(\\\"Product Viewed\\\") > 0\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(segment.statusCode()).as(segment.body()).isEqualTo(200);
            t.post("/v1/identify", "{\"userId\":\"u1\",\"traits\":{\"email\":\"ann@example.com\"},\"timestamp\":\"2026-11-01T10:00:00Z\"}");
            t.post("/v1/track", "{\"anonymousId\":\"a1\",\"event\":\"Product Viewed\",\"timestamp\":\"2026-11-01T10:01:00Z\"}");
            t.awaitProfiles();
            t.post("/v1/identify", "{\"userId\":\"u1\",\"anonymousId\":\"a1\",\"timestamp\":\"2026-11-01T10:02:00Z\"}");
            t.awaitProfiles();
            @SuppressWarnings("unchecked") List<Map<String, Object>> merges = (List<Map<String, Object>>) t.getJson("/api/v1/profiles/u1/merges").get("merges");
            assertThat(merges).singleElement().satisfies(m -> assertThat(m).containsEntry("reversed", false)
                    .containsEntry("by", Map.of("kind", "anonymousId", "value", "a1")));
            String mergeId = (String) merges.getFirst().get("id");
            String absorbed = (String) merges.getFirst().get("from");
            String survivor = (String) merges.getFirst().get("into");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> members(t).equals(List.of(survivor)));

            HttpResponse<String> reversed = post(t, "/api/v1/profiles/u1/merges/" + mergeId + "/reverse");
            assertThat(reversed.statusCode()).as(reversed.body()).isEqualTo(200);
            assertThat(reversed.body()).contains("\"restored\":{\"id\":\"" + absorbed + "\"").contains("Product Viewed");
            assertThat(t.getJson("/api/v1/profiles?anonymousId=a1")).containsEntry("id", absorbed);
            assertThat(t.getJson("/api/v1/profiles/u1/merges").get("merges").toString()).contains("reversed=true");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> members(t).equals(List.of(absorbed)));

            assertThat(post(t, "/api/v1/profiles/u1/merges/" + mergeId + "/reverse").statusCode()).isEqualTo(409);
            assertThat(post(t, "/api/v1/profiles/u1/merges/m_0000000000000000/reverse").statusCode()).isEqualTo(404);

            t.post("/v1/identify", "{\"userId\":\"u1\",\"anonymousId\":\"a1\",\"timestamp\":\"2026-11-01T10:05:00Z\"}");
            t.awaitProfiles();
            assertThat(t.getJson("/api/v1/stats")).containsEntry("profiles", 2);
        }
    }

    @Test
    void profilesWithDifferentUserIdsAreNeverMergedUnlessConfiguredTo() throws Exception {
        try (RunningTessera t = new RunningTessera(dir.resolve("default"))) {
            t.post("/v1/identify", "{\"userId\":\"u1\",\"traits\":{\"email\":\"shared@example.com\"}}");
            t.post("/v1/identify", "{\"userId\":\"u2\",\"traits\":{\"email\":\"shared@example.com\"}}");
            t.awaitProfiles();
            assertThat(t.getJson("/api/v1/stats")).containsEntry("profiles", 2);
        }
        try (RunningTessera t = new RunningTessera(dir.resolve("merging"), Map.of("profiles.merge-different-user-ids", "true"))) {
            t.post("/v1/identify", "{\"userId\":\"u1\",\"traits\":{\"email\":\"shared@example.com\"}}");
            t.post("/v1/identify", "{\"userId\":\"u2\",\"traits\":{\"email\":\"shared@example.com\"}}");
            t.awaitProfiles();
            assertThat(t.getJson("/api/v1/stats")).containsEntry("profiles", 1);
        }
    }

    @Test
    void anInvalidMergeSettingStopsStartUpNamingTheSetting() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.tessera.server.profile.ProfileConfig.options(
                        k -> k.equals("profiles.merge-different-user-ids") ? java.util.Optional.of("sometimes") : java.util.Optional.empty()))
                .hasMessageContaining("profiles.merge-different-user-ids").hasMessageContaining("sometimes");
    }
}
