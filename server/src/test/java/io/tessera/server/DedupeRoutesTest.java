package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fuzzy duplicate profiles acted on through the API of a real Tessera on real SQLite: merges, the review queue, reversal. */
class DedupeRoutesTest {
    private static final String KATHERINE = "\"firstName\":\"Katherine\",\"lastName\":\"Smith\",\"birthday\":\"1980-03-14\","
            + "\"address\":{\"postalCode\":\"2600\",\"city\":\"Canberra\"}";
    private static final String KATHRINE = KATHERINE.replace("Katherine", "Kathrine");
    private static final String OLIVER = "\"firstName\":\"Oliver\",\"lastName\":\"Nguyen\",\"birthday\":\"1975-11-02\","
            + "\"address\":{\"postalCode\":\"3000\",\"city\":\"Melbourne\"}";

    @TempDir
    Path dir;
    private RunningTessera t;

    @BeforeEach
    void start() {
        t = new RunningTessera(dir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return t.http.send(HttpRequest.newBuilder(URI.create(t.base() + path))
                .header("Authorization", "Bearer " + RunningTessera.ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void people(String first, String second) {
        t.post("/v1/identify", "{" + first + ",\"traits\":{" + KATHERINE + "}}");
        t.post("/v1/identify", "{" + second + ",\"traits\":{" + KATHRINE + "}}");
        t.post("/v1/identify", "{\"userId\":\"crm-3\",\"traits\":{" + OLIVER + "}}");
        t.awaitProfiles();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> pendingPairs() {
        return (List<Map<String, Object>>) t.getJson("/api/v1/dedupe/review").get("pairs");
    }

    @Test
    void pairsAboveTheAutoMergeThresholdAreMergedThroughTheLogAndTheMergeIsReversible() throws Exception {
        people("\"userId\":\"crm-1\"", "\"anonymousId\":\"web-7\"");

        HttpResponse<String> run = post("/api/v1/dedupe/run", "{\"autoMerge\":0.5,\"review\":0.1}");
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        assertThat(RunningTessera.json(run.body())).containsEntry("profiles", 3).containsEntry("merged", 1);
        t.awaitProfiles();
        assertThat(t.getJson("/api/v1/stats")).containsEntry("profiles", 2);
        assertThat(t.getJson("/api/v1/profiles/crm-1").get("identities").toString()).contains("web-7");

        @SuppressWarnings("unchecked") List<Map<String, Object>> merges =
                (List<Map<String, Object>>) t.getJson("/api/v1/profiles/crm-1/merges").get("merges");
        assertThat(merges).singleElement().satisfies(m -> assertThat(m.get("messageId").toString()).startsWith("dedupe-dp_"));
        assertThat(post("/api/v1/profiles/crm-1/merges/" + merges.getFirst().get("id") + "/reverse", "").statusCode()).isEqualTo(200);
        assertThat(t.getJson("/api/v1/stats")).containsEntry("profiles", 3);

        HttpResponse<String> again = post("/api/v1/dedupe/run", "{\"autoMerge\":0.5,\"review\":0.1}");
        assertThat(RunningTessera.json(again.body())).containsEntry("merged", 0);
        assertThat(again.body()).contains("already-decided");
        t.awaitProfiles();
        assertThat(t.getJson("/api/v1/stats")).containsEntry("profiles", 3);
    }

    @Test
    void pairsBetweenTheThresholdsWaitInTheReviewQueueForAnAdminToMerge() throws Exception {
        people("\"userId\":\"crm-1\"", "\"anonymousId\":\"web-7\"");

        HttpResponse<String> run = post("/api/v1/dedupe/run", "{\"autoMerge\":1.0,\"review\":0.1}");
        assertThat(RunningTessera.json(run.body())).as(run.body()).containsEntry("merged", 0).containsEntry("queued", 1);
        t.awaitProfiles();
        assertThat(t.getJson("/api/v1/stats")).containsEntry("profiles", 3);
        String pairId = (String) pendingPairs().getFirst().get("pairId");

        HttpResponse<String> merged = post("/api/v1/dedupe/review/" + pairId + "/merge", "");
        assertThat(merged.statusCode()).as(merged.body()).isEqualTo(200);
        assertThat(merged.body()).contains("\"status\":\"merged\"").contains("\"messageId\":\"dedupe-" + pairId);
        t.awaitProfiles();
        assertThat(t.getJson("/api/v1/stats")).containsEntry("profiles", 2);
        assertThat(pendingPairs()).isEmpty();
        assertThat(post("/api/v1/dedupe/review/" + pairId + "/merge", "").statusCode()).isEqualTo(409);
    }

    @Test
    void knownUsersWithDifferentUserIdsAreQueuedNotMergedAndARejectionIsFinal() throws Exception {
        people("\"userId\":\"crm-1\"", "\"userId\":\"crm-2\"");

        HttpResponse<String> run = post("/api/v1/dedupe/run", "{\"autoMerge\":0.5,\"review\":0.1}");
        assertThat(RunningTessera.json(run.body())).containsEntry("merged", 0).containsEntry("queued", 1);
        assertThat(run.body()).contains("different_user_ids");
        String pairId = (String) pendingPairs().getFirst().get("pairId");

        HttpResponse<String> refused = post("/api/v1/dedupe/review/" + pairId + "/merge", "");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("different_user_ids");
        assertThat(pendingPairs()).hasSize(1);

        assertThat(post("/api/v1/dedupe/review/" + pairId + "/reject", "").body()).contains("\"status\":\"rejected\"");
        assertThat(post("/api/v1/dedupe/review/" + pairId + "/reject", "").statusCode()).isEqualTo(409);
        assertThat(post("/api/v1/dedupe/review/dp_unknown/merge", "").statusCode()).isEqualTo(404);
        assertThat(post("/api/v1/dedupe/run", "{\"autoMerge\":0.5,\"review\":0.1}").body()).contains("already-decided");
        assertThat(pendingPairs()).isEmpty();
        assertThat(t.getJson("/api/v1/dedupe/review?status=rejected").get("pairs").toString()).contains(pairId);
        t.awaitProfiles();
        assertThat(t.getJson("/api/v1/stats")).containsEntry("profiles", 3);
    }

    @Test
    void badThresholdsAndBodiesAre400() throws Exception {
        assertThat(post("/api/v1/dedupe/run", "{\"autoMerge\":0.4,\"review\":0.6}").body()).contains("invalid_thresholds");
        assertThat(post("/api/v1/dedupe/run", "[1").statusCode()).isEqualTo(400);
        assertThat(t.get("/api/v1/dedupe/review?status=maybe").statusCode()).isEqualTo(400);
    }
}
