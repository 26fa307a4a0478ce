package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input the Foundation issue lists gets a 4xx with a machine-readable code,
 * is counted in the metrics, and the server keeps serving good requests.
 */
class BadInputTest {
    @TempDir static Path dir;
    static RunningTessera server;

    @BeforeAll
    static void start() {
        server = new RunningTessera(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void serverStillServesGoodRequests() {
        assertThat(server.post("/v1/track", "{\"userId\":\"still-ok\",\"event\":\"Ping\"}").statusCode()).isEqualTo(200);
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        Map<String, Object> body = RunningTessera.json(r.body());
        @SuppressWarnings("unchecked") Map<String, Object> error = (Map<String, Object>) body.get("error");
        assertThat(error).containsEntry("code", code).containsKeys("message", "details");
    }

    @Test
    void rejectsMalformedJson() {
        assertError(server.post("/v1/track", "{\"userId\": \"u1\", \"event\": "), 400, "malformed_json");
        assertError(server.post("/v1/track", "[1,2]"), 400, "malformed_json");
        assertError(server.post("/v1/batch", "{\"batch\": [}"), 400, "malformed_json");
    }

    @Test
    void rejectsWrongTypes() {
        assertError(server.post("/v1/track", "{\"userId\":\"u1\",\"event\":\"E\",\"properties\":[1]}"), 400, "wrong_type");
        assertError(server.post("/v1/track", "{\"userId\":{\"id\":1},\"event\":\"E\"}"), 400, "wrong_type");
        assertError(server.post("/v1/track", "{\"userId\":\"u1\",\"event\":42}"), 400, "wrong_type");
        assertError(server.post("/v1/identify", "{\"userId\":\"u1\",\"timestamp\":12345}"), 400, "wrong_type");
        assertError(server.post("/v1/batch", "{\"batch\":{\"type\":\"track\"}}"), 400, "missing_batch");
    }

    @Test
    void rejectsEventsWithoutUserIdOrAnonymousId() {
        HttpResponse<String> r = server.post("/v1/track", "{\"event\":\"Product Viewed\"}");
        assertError(r, 400, "missing_identity");
        assertError(server.post("/v1/identify", "{\"userId\":\"  \",\"traits\":{}}"), 400, "missing_identity");
    }

    @Test
    void rejectsAnEventOver32KB() {
        String big = "x".repeat(33 * 1024);
        assertError(server.post("/v1/track", "{\"userId\":\"u1\",\"event\":\"E\",\"properties\":{\"p\":\"" + big + "\"}}"), 413, "event_too_large");
    }

    @Test
    void rejectsBatchOver500KB() {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            batch.add(Map.of("type", "track", "userId", "u" + i, "event", "E", "properties", Map.of("p", "y".repeat(10_000))));
        }
        assertError(server.post("/v1/batch", Map.of("batch", batch)), 413, "batch_too_large");
    }

    @Test
    void rejectsBatchOf2501Events() {
        StringBuilder b = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 2_501; i++) {
            b.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}");
        }
        assertError(server.post("/v1/batch", b.append("]}").toString()), 413, "too_many_events");
    }

    @Test
    void reportsAnOversizeBatchElementByIndexAndTakesTheRest() {
        String big = "z".repeat(33 * 1024);
        HttpResponse<String> r = server.post("/v1/batch", "{\"batch\":[{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Small\"},"
                + "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Big\",\"properties\":{\"p\":\"" + big + "\"}}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(RunningTessera.json(r.body()).get("rejected")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("index", 1).containsEntry("code", "event_too_large");
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] prefix = "{\"userId\":\"u1\",\"event\":\"caf".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + 2 + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xC3;
        body[prefix.length + 1] = (byte) 0x28; // not a continuation byte
        System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
        assertError(server.post("/v1/track", body, RunningTessera.WRITE_KEY), 400, "invalid_utf8");
    }

    @Test
    void rejectsDeeplyNestedJson() {
        String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        assertError(server.post("/v1/track", "{\"userId\":\"u1\",\"event\":\"E\",\"properties\":" + deep + "}"), 400, "too_deep");
        String veryDeep = "[".repeat(5_000) + "]".repeat(5_000);
        assertError(server.post("/v1/batch", "{\"junk\":" + veryDeep + ",\"batch\":[]}"), 400, "too_deep");
    }

    @Test
    void rejectsMissingAndUnknownWriteKeys() {
        String ok = "{\"userId\":\"u1\",\"event\":\"E\"}";
        assertError(server.post("/v1/track", ok.getBytes(StandardCharsets.UTF_8), null), 401, "missing_write_key");
        assertError(server.post("/v1/track", ok.getBytes(StandardCharsets.UTF_8), "not-a-key"), 401, "invalid_write_key");
        assertError(server.post("/v1/track", "{\"userId\":\"u1\",\"event\":\"E\",\"writeKey\":\"nope\"}".getBytes(StandardCharsets.UTF_8), null),
                401, "invalid_write_key");
    }

    @Test
    void acceptsTheWriteKeyInTheBodyAsSegmentDoes() {
        String body = "{\"userId\":\"u1\",\"event\":\"E\",\"writeKey\":\"" + RunningTessera.WRITE_KEY + "\"}";
        assertThat(server.post("/v1/track", body.getBytes(StandardCharsets.UTF_8), null).statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsTimestampsFarInTheFuture() {
        assertError(server.post("/v1/track", "{\"userId\":\"u1\",\"event\":\"E\",\"timestamp\":\"2099-01-01T00:00:00Z\"}"), 400, "timestamp_in_future");
        assertError(server.post("/v1/track", "{\"userId\":\"u1\",\"event\":\"E\",\"timestamp\":\"yesterday\"}"), 400, "invalid_timestamp");
    }

    @Test
    void rejectsMissingRequiredFieldsPerCallType() {
        assertError(server.post("/v1/track", "{\"userId\":\"u1\"}"), 400, "missing_field");
        assertError(server.post("/v1/alias", "{\"userId\":\"u1\"}"), 400, "missing_field");
        assertError(server.post("/v1/group", "{\"userId\":\"u1\"}"), 400, "missing_field");
        assertError(server.post("/v1/batch", "{\"batch\":[{\"type\":\"purchase\",\"userId\":\"u1\"}]}"), 400, "unknown_type");
    }

    @Test
    void rejectsUnsupportedOrBrokenContentEncoding() {
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base() + "/v1/track"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((RunningTessera.WRITE_KEY + ":").getBytes()))
                .header("Content-Encoding", "gzip")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("this is not gzip")).build();
        try {
            assertError(server.http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()), 400, "invalid_encoding");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void acceptsGzippedBodies() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("{\"batch\":[{\"type\":\"track\",\"userId\":\"gz\",\"event\":\"Zipped\"}]}".getBytes(StandardCharsets.UTF_8));
        }
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base() + "/v1/batch"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((RunningTessera.WRITE_KEY + ":").getBytes()))
                .header("Content-Encoding", "gzip")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray())).build();
        assertThat(server.http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void quarantinesRejectedRecordsWithRawPayloadAndCountsThemInMetrics() {
        long before = server.tessera.quarantine().count();
        String bad = "{\"type\":\"track\",\"event\":\"Orphan\",\"messageId\":\"orphan-1\"}";
        HttpResponse<String> r = server.post("/v1/batch", "{\"batch\":[{\"type\":\"track\",\"userId\":\"u9\",\"event\":\"Fine\"}," + bad + "]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"index\":1", "missing_identity");
        assertThat(server.tessera.quarantine().count()).isEqualTo(before + 1);
        assertThat(server.tessera.quarantine().list("missing_identity", "", "", 50))
                .anySatisfy(q -> assertThat(q.raw()).isEqualTo(bad));
        String metrics = server.get("/metrics").body();
        assertThat(metrics).contains("tessera_events_rejected_total{code=\"missing_identity\"}");
    }

    @Test
    void answersUnknownRoutesAndAdminWithoutTokenInTheErrorShape() {
        assertError(server.get("/v1/nothing-here"), 404, "not_found");
        assertError(server.http.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base() + "/api/v1/stats")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).join(), 401, "missing_admin_token");
        assertError(server.get("/api/v1/profiles/nobody"), 404, "not_found");
    }
}
