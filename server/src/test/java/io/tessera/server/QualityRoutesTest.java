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

/** Tracking plans and the quarantine through the HTTP API of a real Tessera on real SQLite. */
class QualityRoutesTest {
    private static final String ORDER_SCHEMA = """
            {"type": "object", "required": ["orderId"],
             "properties": {"orderId": {"type": "string"}, "revenue": {"type": "number", "minimum": 0}}}""";
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

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.base() + path))
                .header("Authorization", "Bearer " + RunningTessera.ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return t.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> track(String props) {
        return t.post("/v1/track", "{\"userId\":\"u1\",\"event\":\"Order Completed\",\"properties\":" + props + "}");
    }

    @Test
    void blockPlanQuarantinesViolationsAndReplayAfterTheFixReachesTheLog() throws Exception {
        assertThat(admin("PUT", "/api/v1/tracking-plans/Order%20Completed",
                "{\"mode\":\"block\",\"schema\":" + ORDER_SCHEMA + "}").statusCode()).isEqualTo(200);

        assertThat(track("{\"orderId\":\"o1\",\"revenue\":-5}").statusCode()).isBetween(200, 499);
        Map<String, Object> listed = t.getJson("/api/v1/quarantine?code=schema_violation");
        @SuppressWarnings("unchecked") List<Map<String, Object>> records = (List<Map<String, Object>>) listed.get("records");
        assertThat(records).hasSize(1);
        String id = (String) records.getFirst().get("id");
        assertThat(records.getFirst().get("reasons").toString()).contains("/properties/revenue").contains("minimum");

        HttpResponse<String> stillFailing = admin("POST", "/api/v1/quarantine/" + id + "/replay", null);
        assertThat(stillFailing.statusCode()).isEqualTo(400);
        assertThat(stillFailing.body()).contains("replay_failed").contains("/properties/revenue");
        assertThat(t.getJson("/api/v1/quarantine/" + id)).containsEntry("status", "quarantined");

        String relaxed = ORDER_SCHEMA.replace(", \"minimum\": 0", "");
        assertThat(admin("PUT", "/api/v1/tracking-plans/Order%20Completed", "{\"mode\":\"block\",\"schema\":" + relaxed + "}").body())
                .contains("\"version\":2");
        HttpResponse<String> replayed = admin("POST", "/api/v1/quarantine/" + id + "/replay", null);
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(replayed.body()).contains("\"status\":\"replayed\"");
        t.awaitProfiles();
        assertThat(t.getJson("/api/v1/profiles/u1").get("events").toString()).contains("Order Completed");
        assertThat(admin("GET", "/api/v1/tracking-plans/Order%20Completed/versions", null).body()).contains("\"version\":1").contains("\"version\":2");
    }

    @Test
    void invalidSchemaIs400NamingTheProblemAndKeepsTheCurrentPlan() throws Exception {
        admin("PUT", "/api/v1/tracking-plans/Signed%20Up", "{\"mode\":\"allow\",\"schema\":{\"type\":\"object\"}}");
        HttpResponse<String> bad = admin("PUT", "/api/v1/tracking-plans/Signed%20Up", "{\"mode\":\"block\",\"schema\":{\"type\":\"strng\"}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("invalid_schema").contains("/type");
        assertThat(t.getJson("/api/v1/tracking-plans/Signed%20Up")).containsEntry("version", 1).containsEntry("mode", "allow");
    }

    @Test
    void discardedRecordsLeaveTheQueueAndCannotBeReplayed() throws Exception {
        t.post("/v1/identify", "{\"userId\":\"u2\",\"traits\":{\"email\":\"ann@@example.com\"}}");
        @SuppressWarnings("unchecked") List<Map<String, Object>> records =
                (List<Map<String, Object>>) t.getJson("/api/v1/quarantine?code=invalid_email").get("records");
        String id = (String) records.getFirst().get("id");
        assertThat(admin("POST", "/api/v1/quarantine/" + id + "/discard", null).body()).contains("\"status\":\"discarded\"");
        assertThat(admin("POST", "/api/v1/quarantine/" + id + "/replay", null).statusCode()).isEqualTo(409);
    }

    @Test
    void dictionaryListsEventsAndPropertiesWithTypesCountsAndPlanCoverage() throws Exception {
        admin("PUT", "/api/v1/tracking-plans/Order%20Completed", "{\"mode\":\"allow\",\"schema\":" + ORDER_SCHEMA + "}");
        track("{\"orderId\":\"o1\",\"coupon\":\"X\"}");
        track("{\"orderId\":2}");
        t.awaitProfiles();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                admin("GET", "/api/v1/dictionary", null).body().contains("coupon"));
        String body = admin("GET", "/api/v1/dictionary", null).body();
        Map<String, Object> dictionary = RunningTessera.json(body);
        @SuppressWarnings("unchecked") Map<String, Object> order = ((List<Map<String, Object>>) dictionary.get("events")).stream()
                .filter(e -> e.get("event").equals("Order Completed")).findFirst().orElseThrow();
        assertThat(order).containsEntry("count", 2).containsEntry("planned", true).containsKeys("firstSeen", "lastSeen");
        assertThat(order.get("properties").toString()).contains("name=orderId, types={number=1, string=1}, declared=true, count=2")
                .contains("name=coupon, types={string=1}, declared=false, count=1");
    }

    @Test
    void findsFuzzyDuplicateProfilesThatShareNoIdentifier() throws Exception {
        t.post("/v1/identify", "{\"userId\":\"crm-1\",\"traits\":{\"firstName\":\"Katherine\",\"lastName\":\"Smith\","
                + "\"birthday\":\"1980-03-14\",\"address\":{\"postalCode\":\"2600\",\"city\":\"Canberra\"}}}");
        t.post("/v1/identify", "{\"userId\":\"crm-2\",\"traits\":{\"firstName\":\"Kathrine\",\"lastName\":\"Smith\","
                + "\"birthday\":\"1980-03-14\",\"address\":{\"postalCode\":\"2600\",\"city\":\"Canberra\"}}}");
        t.post("/v1/identify", "{\"userId\":\"crm-3\",\"traits\":{\"firstName\":\"Oliver\",\"lastName\":\"Nguyen\","
                + "\"birthday\":\"1975-11-02\",\"address\":{\"postalCode\":\"3000\",\"city\":\"Melbourne\"}}}");
        t.awaitProfiles();
        HttpResponse<String> r = admin("POST", "/api/v1/profiles/dedupe", "{\"autoMerge\":0.9,\"review\":0.5}");
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> body = RunningTessera.json(r.body());
        assertThat(body).containsEntry("profiles", 3);
        @SuppressWarnings("unchecked") List<Map<String, Object>> pairs = (List<Map<String, Object>>) body.get("pairs");
        assertThat(pairs).hasSize(1);
        String a = t.getJson("/api/v1/profiles/crm-1").get("id").toString();
        String b = t.getJson("/api/v1/profiles/crm-2").get("id").toString();
        assertThat(List.of(pairs.getFirst().get("a"), pairs.getFirst().get("b"))).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void taxonomyWithBadRowsIs400NamingTheLinesAndTheGoodOneMapsCategories() throws Exception {
        HttpResponse<String> bad = admin("PUT", "/api/v1/taxonomy", "raw_label,canonical\nMens Shoes,Men > Footwear\nhats\n");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("invalid_taxonomy").contains("line 3");
        assertThat(admin("GET", "/api/v1/taxonomy", null).body()).contains("\"labels\":0");

        assertThat(admin("PUT", "/api/v1/taxonomy", "raw_label,canonical\nMens Shoes,Men > Footwear\n").statusCode()).isEqualTo(200);
        t.post("/v1/track", "{\"userId\":\"u9\",\"event\":\"Product Viewed\",\"properties\":{\"category\":\"mens-shoes\"}}");
        t.awaitProfiles();
        assertThat(t.getJson("/api/v1/profiles/u9").get("timeline").toString()).contains("category=Men > Footwear");
    }
}
