package io.tessera.server.delivery;

import io.tessera.server.ErrorMapper;
import io.tessera.server.Json;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.TrackingLinks;
import io.tessera.delivery.dispatch.CampaignDispatcher;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.delivery.outbox.OutboxMailer;
import io.tessera.store.sqlite.SqliteOutbox;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Unsubscribing through the API: real HTTP, the SQLite suppression list, and a campaign into the outbox that honours it. */
class SuppressionRoutesTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    HttpResponse<String> call(Javalin http, String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAddressUnsubscribedThroughTheApiIsSkippedByTheNextCampaignAndTheFirstReasonStays() throws Exception {
        Path db = dir.resolve("tessera.db");
        InstantSource clock = InstantSource.system();
        SyntheticAudience audience = new SyntheticAudience(20, 3);
        try (SqliteSuppressionList suppressions = new SqliteSuppressionList(db); SqliteSendLedger ledger = new SqliteSendLedger(db);
             SqliteOutbox outbox = new SqliteOutbox(db);
             CampaignDispatcher dispatcher = new CampaignDispatcher(ledger, suppressions,
                     new OutboxMailer(outbox, new MimeAssembler(clock, Optional.empty()), clock), PlainRenderer.standard(),
                     audience, audience, TrackingLinks.NONE, clock, "mail.shop.example", 2, 1, Duration.ofMillis(10))) {
            Javalin http = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.jetty.port = 0;
                new ErrorMapper(new Json()).register(cfg.routes);
                new SuppressionRoutes(suppressions, clock).register(cfg.routes);
            }).start();
            try {
                String ann = audience.address(5);
                HttpResponse<String> added = call(http, "POST", "/api/v1/suppressions",
                        "{\"address\": \"" + ann.toUpperCase() + "\", \"detail\": \"asked the support desk\"}");
                assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
                assertThat(JSON.readTree(added.body()).path("reason").asString()).isEqualTo("unsubscribe");

                HttpResponse<String> again = call(http, "POST", "/api/v1/suppressions", "{\"address\": \"" + ann + "\", \"reason\": \"manual\"}");
                assertThat(again.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(again.body()).path("reason").asString()).as("the first reason wins").isEqualTo("unsubscribe");
                assertThat(call(http, "GET", "/api/v1/suppressions/" + ann, null).statusCode()).isEqualTo(200);
                assertThat(call(http, "GET", "/api/v1/suppressions/" + audience.address(6), null).statusCode()).isEqualTo(404);
                JsonNode list = JSON.readTree(call(http, "GET", "/api/v1/suppressions?limit=10", null).body()).path("suppressions");
                assertThat(list).hasSize(1);

                CampaignDispatcher.Report r = dispatcher.run(Campaign.simple("news", "everyone", "t", "news@shop.example"), "news");
                assertThat(r.skipped()).isEqualTo(1);
                assertThat(r.sent()).isEqualTo(19);
                assertThat(outbox.list(Optional.of("news"), 0, 100)).extracting(m -> m.to().toLowerCase()).doesNotContain(ann);

                HttpResponse<String> bad = call(http, "POST", "/api/v1/suppressions", "{\"address\": \"nobody\", \"reason\": \"hard_bounce\"}");
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(bad.body()).contains("/address").contains("/reason");
            } finally {
                http.stop();
            }
        }
    }
}
