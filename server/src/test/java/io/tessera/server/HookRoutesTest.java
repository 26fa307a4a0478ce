package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.ingest.hook.HookSignature;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inbound CRM webhooks through a real server: signatures, replay window, mapping, idempotence, quarantine. */
class HookRoutesTest {
    private static final String SECRET = "crm-secret-0123456789abcdef";
    private static final String CONTACTS = """
            {"secret": "%s",
             "mapping": {"type": "identify", "each": "/contacts", "userId": "/id", "timestamp": "/updated_at",
                         "traits": {"email": "/properties/email", "firstName": "/properties/firstname", "plan": "/properties/plan"}}}
            """.formatted(SECRET);

    @TempDir Path dir;
    RunningTessera t;

    @BeforeEach
    void start() {
        t = new RunningTessera(dir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void aSignedContactWebhookUpdatesTheProfilesTraits() {
        assertThat(t.admin("PUT", "/api/v1/hooks/crm", CONTACTS).statusCode()).isEqualTo(200);
        String body = """
                {"contacts": [
                  {"id": 42, "updated_at": "2026-11-20T10:00:00+01:00", "properties": {"email": " Ann@Example.COM ", "firstname": "Ann", "plan": "pro"}},
                  {"id": 43, "updated_at": "2026-11-20T11:00:00Z", "properties": {"email": "bob@example.com", "firstname": "Bob"}}]}""";
        HttpResponse<String> r = postSigned("crm", body, HookSignature.tessera(), Instant.now());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        t.awaitProfiles();
        Map<String, Object> ann = t.getJson("/api/v1/profiles/42");
        @SuppressWarnings("unchecked") Map<String, Object> traits = (Map<String, Object>) ann.get("traits");
        assertThat(traits).containsEntry("firstName", "Ann").containsEntry("plan", "pro");
        assertThat(traits.get("email").toString()).isEqualToIgnoringCase("ann@example.com").doesNotContain(" ");
        assertThat(t.getJson("/api/v1/profiles/43").get("traits").toString()).contains("Bob");
    }

    @Test
    void forgedMissingAndStaleSignaturesAreRefusedAndStoreNothing() {
        t.admin("PUT", "/api/v1/hooks/crm", CONTACTS);
        String body = "{\"contacts\": [{\"id\": 7, \"properties\": {\"email\": \"eve@example.com\"}}]}";
        String now = Long.toString(Instant.now().getEpochSecond());

        HttpResponse<String> forged = post("/hooks/crm", body, Map.of("X-Tessera-Timestamp", now,
                "X-Tessera-Signature", HookSignature.tessera().headerValue("not-the-secret-0123456".getBytes(StandardCharsets.UTF_8), now, body.getBytes(StandardCharsets.UTF_8))));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("\"invalid_signature\"");

        HttpResponse<String> unsigned = post("/hooks/crm", body, Map.of());
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).contains("missing_signature");

        HttpResponse<String> stale = postSigned("crm", body, HookSignature.tessera(), Instant.now().minus(Duration.ofMinutes(10)));
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(stale.body()).contains("stale_request");

        HttpResponse<String> tampered = post("/hooks/crm", body.replace("eve", "mallory"), Map.of("X-Tessera-Timestamp", now,
                "X-Tessera-Signature", HookSignature.tessera().headerValue(SECRET.getBytes(StandardCharsets.UTF_8), now, body.getBytes(StandardCharsets.UTF_8))));
        assertThat(tampered.statusCode()).isEqualTo(401);

        t.awaitProfiles();
        assertThat(t.get("/api/v1/profiles/7").statusCode()).isEqualTo(404);
        assertThat(t.getJson("/api/v1/stats").get("events")).isEqualTo(0);
    }

    @Test
    void aRedeliveredOrderWebhookIsCountedOnce() {
        String source = """
                {"secret": "%s",
                 "signature": {"header": "X-Hub-Signature-256", "prefix": "sha256=", "timestampHeader": ""},
                 "mapping": {"type": "track", "event": "Order Completed", "userId": "/customer/id", "messageId": "/order_id",
                             "timestamp": "/created_at", "properties": {"revenue": "/total", "currency": "/currency"}}}
                """.formatted(SECRET);
        assertThat(t.admin("PUT", "/api/v1/hooks/shop", source).statusCode()).isEqualTo(200);
        HookSignature github = new HookSignature("X-Hub-Signature-256", "sha256=", HookSignature.Encoding.HEX, "{body}", Optional.empty(), Duration.ofMinutes(5));
        String order = "{\"order_id\": \"o-1001\", \"created_at\": \"2026-11-21T09:30:00Z\", \"total\": \"59.90\", \"currency\": \"EUR\", \"customer\": {\"id\": \"u-9\"}}";
        assertThat(postSigned("shop", order, github, Instant.now()).statusCode()).isEqualTo(200);
        assertThat(postSigned("shop", order, github, Instant.now()).statusCode()).isEqualTo(200);
        t.awaitProfiles();
        assertThat(t.getJson("/api/v1/stats").get("events")).isEqualTo(1);
        assertThat(t.getJson("/api/v1/profiles/u-9").get("events").toString()).contains("Order Completed").contains("count=1");
    }

    @Test
    void aRecordWithoutIdentityIsQuarantinedWhileTheOthersAreTaken() {
        t.admin("PUT", "/api/v1/hooks/crm", CONTACTS);
        String body = "{\"contacts\": [{\"id\": 50, \"properties\": {\"email\": \"c@example.com\"}}, {\"properties\": {\"email\": \"nobody@example.com\"}}]}";
        HttpResponse<String> r = postSigned("crm", body, HookSignature.tessera(), Instant.now());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"accepted\":1").contains("\"index\":1");
        Map<String, Object> q = t.getJson("/api/v1/quarantine");
        assertThat(q.toString()).contains("hook:crm").contains("nobody@example.com");
    }

    @Test
    void theSecretIsWriteOnlyAndBadSourcesAreRefused() {
        t.admin("PUT", "/api/v1/hooks/crm", CONTACTS);
        String shown = t.get("/api/v1/hooks/crm").body();
        assertThat(shown).contains("\"secretSet\":true").contains("/properties/email").doesNotContain(SECRET);
        assertThat(t.get("/api/v1/hooks").body()).doesNotContain(SECRET);

        HttpResponse<String> badMapping = t.admin("PUT", "/api/v1/hooks/bad", "{\"secret\": \"" + SECRET + "\", \"mapping\": {\"type\": \"track\", \"userId\": \"id\"}}");
        assertThat(badMapping.statusCode()).isEqualTo(400);
        assertThat(badMapping.body()).contains("invalid_hook_source");
        assertThat(t.admin("PUT", "/api/v1/hooks/bad", "{\"secret\": \"short\", \"mapping\": {\"userId\": \"/id\"}}").body()).contains("16");
        assertThat(t.get("/api/v1/hooks/bad").statusCode()).isEqualTo(404);

        assertThat(post("/hooks/nope", "{}", Map.of()).statusCode()).isEqualTo(404);

        // changing the mapping without re-sending the secret keeps the secret
        assertThat(t.admin("PUT", "/api/v1/hooks/crm", "{\"mapping\": {\"userId\": \"/uid\"}}").statusCode()).isEqualTo(200);
        String body = "{\"uid\": \"u-77\"}";
        assertThat(postSigned("crm", body, HookSignature.tessera(), Instant.now()).statusCode()).isEqualTo(200);
        assertThat(t.admin("DELETE", "/api/v1/hooks/crm", null).statusCode()).isEqualTo(204);
        assertThat(postSigned("crm", body, HookSignature.tessera(), Instant.now()).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> postSigned(String source, String body, HookSignature scheme, Instant at) {
        String ts = Long.toString(at.getEpochSecond());
        String sig = scheme.headerValue(SECRET.getBytes(StandardCharsets.UTF_8), ts, body.getBytes(StandardCharsets.UTF_8));
        return scheme.timestampHeader().isPresent()
                ? post("/hooks/" + source, body, Map.of(scheme.header(), sig, scheme.timestampHeader().get(), ts))
                : post("/hooks/" + source, body, Map.of(scheme.header(), sig));
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return t.send(b.build());
    }

}
