package io.tessera.server.webhook;

import io.tessera.server.ErrorMapper;
import io.tessera.server.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.javalin.Javalin;
import io.tessera.ingest.hook.HookSignature;
import io.tessera.segment.MembershipChange;
import io.tessera.store.sqlite.SqliteMembershipStore;
import io.tessera.webhook.MembershipWebhookSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outbound webhooks end to end: configured through {@code /api/v1/webhooks}, fed from the real
 * SQLite membership log, POSTed to a real HTTP server (the JDK's) that refuses the first attempts.
 */
class WebhookFeatureTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECRET = "whsec_0123456789abcdef";

    @TempDir
    Path dir;
    private SqliteMembershipStore memberships;
    private WebhookFeature webhooks;
    private io.tessera.webhook.WebhookStore webhookStore;
    private Javalin app;
    private HttpServer receiver;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    record Received(int status, Map<String, String> headers, String body) {}

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failuresLeft.getAndDecrement() > 0 ? 503 : 204;
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            received.add(new Received(status, headers, body));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        Path db = dir.resolve("tessera.db");
        memberships = new SqliteMembershipStore(db);
        Map<String, String> settings = Map.of("webhooks.retry.base", "20ms", "webhooks.retry.max", "80ms",
                "webhooks.retry.attempts", "4", "webhooks.poll", "20ms");
        webhookStore = new io.tessera.store.sqlite.SqliteWebhookStore(db);
        webhooks = new WebhookFeature(webhookStore, List.of(new MembershipWebhookSource(memberships)), InstantSource.system(),
                k -> Optional.ofNullable(settings.get(k)));
        app = Javalin.create(cfg -> {
            new ErrorMapper(new Json()).register(cfg.routes);
            webhooks.register(cfg);
        }).start(0);
    }

    @AfterEach
    void stop() {
        app.stop();
        webhooks.close();
        webhookStore.close();
        memberships.close();
        receiver.stop(0);
    }

    private HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String subscribe() throws Exception {
        var created = call("POST", "/api/v1/webhooks", """
                {"url": "http://127.0.0.1:%d/hook", "secret": "%s", "events": ["segment.entered", "segment.exited"]}"""
                .formatted(receiver.getAddress().getPort(), SECRET));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode view = JSON.readTree(created.body());
        assertThat(view.has("secret")).as("the secret is write-only").isFalse();
        return view.path("id").asString();
    }

    @Test
    void signedDeliveryIsRetriedWithBackoffUntilTheReceiverAcceptsIt() throws Exception {
        subscribe();
        failuresLeft.set(2);
        memberships.apply(List.of(new MembershipChange("browse_abandoners", 1, "p_1", true, Instant.parse("2026-11-01T10:00:00Z"), "event:m1")));

        await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().anyMatch(r -> r.status() == 204));
        assertThat(received).extracting(Received::status).containsExactly(503, 503, 204);
        Received ok = received.get(2);
        JsonNode body = JSON.readTree(ok.body());
        assertThat(body.path("type").asString()).isEqualTo("segment.entered");
        assertThat(body.path("data").path("segment").asString()).isEqualTo("browse_abandoners");
        assertThat(body.path("data").path("profileId").asString()).isEqualTo("p_1");
        assertThat(body.path("data").path("cause").asString()).isEqualTo("event:m1");
        assertThat(received).extracting(r -> r.headers().get("x-tessera-event-id")).containsOnly(body.path("id").asString());
        // The receiver checks the signature with the same scheme Tessera verifies inbound hooks with.
        Optional<String> refusal = HookSignature.tessera().verify(SECRET.getBytes(StandardCharsets.UTF_8),
                h -> Optional.ofNullable(ok.headers().get(h.toLowerCase(java.util.Locale.ROOT))), ok.body().getBytes(StandardCharsets.UTF_8), Instant.now());
        assertThat(refusal).isEmpty();
        assertThat(JSON.readTree(call("GET", "/api/v1/webhooks/dead-letters", null).body()).path("deadLetters")).isEmpty();
    }

    @Test
    void deliveryThatNeverSucceedsEndsInTheDeadLetterListAndCanBeRetried() throws Exception {
        String id = subscribe();
        failuresLeft.set(Integer.MAX_VALUE);
        memberships.apply(List.of(new MembershipChange("vip", 2, "p_9", false, Instant.parse("2026-11-01T10:00:00Z"), "timer:2026-11-01T10:00:00Z")));

        await().atMost(Duration.ofSeconds(20)).until(() ->
                JSON.readTree(call("GET", "/api/v1/webhooks/dead-letters", null).body()).path("deadLetters").size() == 1);
        JsonNode dead = JSON.readTree(call("GET", "/api/v1/webhooks/dead-letters", null).body()).path("deadLetters").get(0);
        assertThat(dead.path("webhookId").asString()).isEqualTo(id);
        assertThat(dead.path("eventType").asString()).isEqualTo("segment.exited");
        assertThat(dead.path("attempts").asInt()).isEqualTo(4);
        assertThat(dead.path("lastError").asString()).isEqualTo("HTTP 503");
        assertThat(received).hasSize(4);

        failuresLeft.set(0);
        assertThat(call("POST", "/api/v1/webhooks/dead-letters/" + dead.path("id").asLong() + "/retry", null).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 5);
        assertThat(received.get(4).status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                JSON.readTree(call("GET", "/api/v1/webhooks/dead-letters", null).body()).path("deadLetters").isEmpty());
    }

    @Test
    void rejectsAWebhookWithoutAUsableUrlSecretOrEventTypes() throws Exception {
        assertThat(call("POST", "/api/v1/webhooks", "{\"url\": \"ftp://x\", \"secret\": \"" + SECRET + "\", \"events\": [\"segment.entered\"]}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/webhooks", "{\"url\": \"https://example.com/h\", \"secret\": \"short\", \"events\": [\"segment.entered\"]}").statusCode()).isEqualTo(400);
        var unknown = call("POST", "/api/v1/webhooks", "{\"url\": \"https://example.com/h\", \"secret\": \"" + SECRET + "\", \"events\": [\"profile.exploded\"]}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).path("error").path("code").asString()).isEqualTo("invalid_webhook");
        String id = subscribe();
        assertThat(JSON.readTree(call("GET", "/api/v1/webhooks", null).body()).path("webhooks")).hasSize(1);
        assertThat(call("DELETE", "/api/v1/webhooks/" + id, null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/webhooks/" + id, null).statusCode()).isEqualTo(404);
    }
}
