package io.tessera.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.tessera.delivery.campaign.TrackingLinks;
import io.tessera.delivery.dispatch.CampaignDispatcher;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.delivery.outbox.OutboxMailer;
import io.tessera.server.ErrorMapper;
import io.tessera.server.Json;
import io.tessera.store.sqlite.SqliteCampaignStore;
import io.tessera.store.sqlite.SqliteOutbox;
import io.tessera.store.sqlite.SqliteProfileStore;
import io.tessera.store.sqlite.SqliteSendLedger;
import io.tessera.store.sqlite.SqliteSuppressionList;
import io.tessera.testkit.PlainRenderer;
import io.tessera.testkit.SyntheticAudience;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The campaigns API over real HTTP, SQLite stores and the outbox. */
class CampaignRoutesTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    SqliteSendLedger ledger;
    SqliteSuppressionList suppressions;
    SqliteOutbox outbox;
    SqliteCampaignStore campaigns;
    SqliteProfileStore profiles;
    CampaignDispatcher dispatcher;
    CampaignRoutes routes;
    Javalin http;
    HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        Path db = dir.resolve("tessera.db");
        InstantSource clock = InstantSource.system();
        ledger = new SqliteSendLedger(db);
        suppressions = new SqliteSuppressionList(db);
        outbox = new SqliteOutbox(db);
        campaigns = new SqliteCampaignStore(db);
        profiles = new SqliteProfileStore(db);
        SyntheticAudience audience = new SyntheticAudience(120, 3);
        dispatcher = new CampaignDispatcher(ledger, suppressions, new OutboxMailer(outbox, new MimeAssembler(clock, Optional.empty()), clock),
                PlainRenderer.standard(), audience, audience, TrackingLinks.NONE, clock, "mail.shop.example", 2, 1, Duration.ofMillis(10));
        routes = new CampaignRoutes(campaigns, dispatcher, ledger, Optional.of(outbox), profiles, clock);
        http = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.port = 0;
            new ErrorMapper(new Json()).register(cfg.routes);
            routes.register(cfg);
        }).start();
    }

    @AfterEach
    void stop() {
        http.stop();
        routes.close();
        dispatcher.close();
        ledger.close();
        suppressions.close();
        outbox.close();
        campaigns.close();
        profiles.close();
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void putStartAndReadStatsAndOutbox() throws Exception {
        HttpResponse<String> put = call("PUT", "/api/v1/campaigns/autumn", """
                {"name": "Autumn", "audience": {"segment": "everyone"}, "template": {"key": "autumn"},
                 "sender": {"address": "news@shop.example", "name": "Shop"}, "holdoutPercent": 20,
                 "variants": [{"name": "A", "weight": 1}, {"name": "B", "weight": 1, "subject": "Last days, {{firstName}}"}]}""");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(JSON.readTree(put.body()).path("version").asInt()).isEqualTo(1);

        assertThat(call("POST", "/api/v1/campaigns/autumn/start", null).statusCode()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                JSON.readTree(call("GET", "/api/v1/campaigns/autumn", null).body()).path("runs").path("autumn").path("state").asString("").equals("done"));

        JsonNode stats = JSON.readTree(call("GET", "/api/v1/campaigns/autumn/stats", null).body());
        long sentA = stats.path("arms").path("A").path("sent").asLong();
        long sentB = stats.path("arms").path("B").path("sent").asLong();
        long holdout = stats.path("arms").path("holdout").path("audience").asLong();
        assertThat(sentA + sentB + holdout).isEqualTo(120);
        assertThat(holdout).isPositive();
        assertThat(stats.path("liftVsHoldout").has("A")).isTrue();

        JsonNode box = JSON.readTree(call("GET", "/api/v1/outbox?campaign=autumn&limit=500", null).body());
        assertThat(box.path("count").asLong()).isEqualTo(sentA + sentB);
        String id = box.path("messages").get(0).path("messageId").asString();
        HttpResponse<String> raw = call("GET", "/api/v1/outbox/" + id, null);
        assertThat(raw.headers().firstValue("content-type")).get().asString().startsWith("message/rfc822");
        assertThat(raw.body()).contains("Content-Type: multipart/alternative").contains("X-Tessera-Campaign: autumn");
    }

    @Test
    void invalidDefinitionIsA400WithPointers() throws Exception {
        HttpResponse<String> r = call("PUT", "/api/v1/campaigns/bad", "{\"audience\": {}, \"holdoutPercent\": 300}");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode e = JSON.readTree(r.body()).path("error");
        assertThat(e.path("code").asString()).isEqualTo("invalid_campaign");
        assertThat(e.path("details").toString()).contains("/audience/segment").contains("/holdoutPercent").contains("/template/key");
    }

    @Test
    void unknownCampaignIs404() throws Exception {
        assertThat(call("GET", "/api/v1/campaigns/nope/stats", null).statusCode()).isEqualTo(404);
    }
}
