package io.tessera.server.delivery;

import io.tessera.server.ErrorMapper;
import io.tessera.server.Json;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.tessera.event.EventType;
import io.tessera.ingest.RequestVerdict;
import io.tessera.profile.Identity;
import io.tessera.server.Tessera;
import io.tessera.server.TesseraConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subscription topics through the API land as profile traits via the normal ingestion path. */
class SubscriptionRoutesTest {

    @TempDir
    Path dir;
    Tessera tessera;
    Javalin http;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        tessera = new Tessera(TesseraConfig.forTests(dir, "wk", "admin"));
        tessera.startProcessing();
        RequestVerdict v = tessera.ingestor().parse(Optional.of(EventType.IDENTIFY),
                "{\"userId\":\"u1\",\"traits\":{\"email\":\"ann@example.com\",\"topic.offers\":true}}"
                        .getBytes(StandardCharsets.UTF_8), "test");
        tessera.ingestor().ingest((RequestVerdict.Parsed) v, "test").join();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> tessera.profiles().resolve(Identity.userId("u1")).isPresent());
        SubscriptionRoutes routes = new SubscriptionRoutes(tessera.ingestor(), tessera.profiles(), InstantSource.system());
        http = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.port = 0;
            new ErrorMapper(new Json()).register(cfg.routes);
            routes.register(cfg.routes);
        }).start();
    }

    @AfterEach
    void stop() {
        http.stop();
        tessera.close();
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void putSetsEachTopicAsATraitAndGetListsThem() throws Exception {
        HttpResponse<String> put = call("PUT", "/api/v1/profiles/u1/subscriptions", "{\"topics\": {\"news\": false}}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(202);

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                call("GET", "/api/v1/profiles/u1/subscriptions", null).body().contains("\"news\":false"));
        String shown = call("GET", "/api/v1/profiles/u1/subscriptions", null).body();
        assertThat(shown).contains("\"offers\":true").contains("\"news\":false");
        String profileId = tessera.profiles().resolve(Identity.userId("u1")).orElseThrow();
        assertThat(tessera.profiles().get(profileId).orElseThrow().traits().get("topic.news").value()).isEqualTo(false);
    }

    @Test
    void badBodiesAndUnknownProfilesAreRefused() throws Exception {
        HttpResponse<String> bad = call("PUT", "/api/v1/profiles/u1/subscriptions", "{\"topics\": {\"news\": \"maybe\", \"a b\": true}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("/topics/news").contains("invalid_subscriptions");
        assertThat(call("PUT", "/api/v1/profiles/u1/subscriptions", "{}").statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/profiles/nobody/subscriptions", null).statusCode()).isEqualTo(404);
    }
}
