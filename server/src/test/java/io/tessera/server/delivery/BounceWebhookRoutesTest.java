package io.tessera.server.delivery;

import io.tessera.server.ErrorMapper;
import io.tessera.server.Json;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.tessera.delivery.SendKey;
import io.tessera.delivery.SendLedger;
import io.tessera.delivery.Suppression;
import io.tessera.delivery.bounce.BounceRecorder;
import io.tessera.event.Event;
import io.tessera.event.EventType;
import io.tessera.ingest.RequestVerdict;
import io.tessera.ingest.hook.HookSignature;
import io.tessera.profile.Identity;
import io.tessera.server.Tessera;
import io.tessera.server.TesseraConfig;
import io.tessera.store.sqlite.SqliteSendLedger;
import io.tessera.store.sqlite.SqliteSuppressionList;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signed bounce webhook over HTTP, recording into the real ledger, suppression list and profiles. */
class BounceWebhookRoutesTest {

    static final byte[] SECRET = "bounce-hook-secret".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    Tessera tessera;
    SqliteSendLedger ledger;
    SqliteSuppressionList suppressions;
    Javalin http;
    String profileId;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        tessera = new Tessera(TesseraConfig.forTests(dir, "wk", "admin"));
        tessera.startProcessing();
        RequestVerdict v = tessera.ingestor().parse(Optional.of(EventType.IDENTIFY),
                "{\"userId\":\"u1\",\"traits\":{\"email\":\"ann@example.com\"}}".getBytes(StandardCharsets.UTF_8), "test");
        tessera.ingestor().ingest((RequestVerdict.Parsed) v, "test").join();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> tessera.profiles().resolve(Identity.userId("u1")).isPresent());
        profileId = tessera.profiles().resolve(Identity.userId("u1")).orElseThrow();
        ledger = new SqliteSendLedger(dir.resolve("tessera.db"));
        suppressions = new SqliteSuppressionList(dir.resolve("tessera.db"));
        ledger.claim(new SendKey("autumn", profileId), "autumn.m1@mail.shop.example", "A", InstantSource.system().instant());
        ledger.confirm(new SendKey("autumn", profileId), SendLedger.Stage.DELIVERED, "250", InstantSource.system().instant());
        BounceRecorder recorder = new BounceRecorder(suppressions, ledger,
                new ProfileBounceEvents(tessera.ingestor(), tessera.profiles()), InstantSource.system());
        BounceWebhookRoutes routes = new BounceWebhookRoutes(recorder, Optional::empty,
                Optional.of(new String(SECRET, StandardCharsets.UTF_8)), InstantSource.system());
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
        ledger.close();
        suppressions.close();
        tessera.close();
    }

    HttpResponse<String> post(String body, byte[] secret, long timestamp) throws Exception {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(timestamp);
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http.port() + "/hooks/bounces"))
                .header("Content-Type", "application/json")
                .header("X-Tessera-Timestamp", ts)
                .header("X-Tessera-Signature", HookSignature.tessera().headerValue(secret, ts, b))
                .POST(HttpRequest.BodyPublishers.ofByteArray(b)).build(), HttpResponse.BodyHandlers.ofString());
    }

    long now() {
        return System.currentTimeMillis() / 1000;
    }

    List<Event> history() {
        return tessera.profiles().history(profileId);
    }

    @Test
    void aSignedHardBounceSuppressesMarksTheLedgerAndBecomesAnEventOnTheProfile() throws Exception {
        HttpResponse<String> r = post("""
                {"email": "Ann@Example.com", "type": "hard", "reason": "550 5.1.1 user unknown",
                 "messageId": "<autumn.m1@mail.shop.example>"}""", SECRET, now());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"recorded\":1").contains("\"attributed\":1");
        assertThat(suppressions.find("ann@example.com")).get().extracting(Suppression::reason)
                .isEqualTo(Suppression.Reason.HARD_BOUNCE);
        assertThat(ledger.findByMessageId("autumn.m1@mail.shop.example")).get().extracting(SendLedger.Row::stage)
                .isEqualTo(SendLedger.Stage.BOUNCED);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> history().stream().anyMatch(e -> e.name().equals("Email Bounced")));
        Event e = history().stream().filter(x -> x.name().equals("Email Bounced")).findFirst().orElseThrow();
        assertThat(e.properties()).containsEntry("type", "hard").containsEntry("status", "5.1.1")
                .containsEntry("source", "webhook").containsEntry("campaign", "autumn")
                .containsEntry("emailMessageId", "autumn.m1@mail.shop.example");
    }

    @Test
    void aComplaintSuppressesAndIsRecordedAsMarkedAsSpamByAddressAlone() throws Exception {
        HttpResponse<String> r = post("[{\"email\": \"ann@example.com\", \"type\": \"complaint\", \"reason\": \"fbl\"}]", SECRET, now());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"attributed\":0");
        assertThat(suppressions.find("ann@example.com")).get().extracting(Suppression::reason)
                .isEqualTo(Suppression.Reason.COMPLAINT);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> history().stream().anyMatch(e -> e.name().equals("Email Marked as Spam")));
    }

    @Test
    void unsignedForgedOrStaleRequestsRecordNothing() throws Exception {
        String body = "{\"email\": \"ann@example.com\", \"type\": \"hard\"}";
        assertThat(post(body, "wrong".getBytes(StandardCharsets.UTF_8), now()).statusCode()).isEqualTo(401);
        assertThat(post(body, SECRET, now() - 3600).statusCode()).isEqualTo(401);
        HttpResponse<String> unsigned = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http.port() + "/hooks/bounces"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).contains("missing_signature");
        assertThat(suppressions.list(10)).isEmpty();
    }

    @Test
    void anInvalidItemRejectsTheWholeBatchWithEveryProblemAndRecordsNothing() throws Exception {
        HttpResponse<String> r = post("""
                [{"email": "ann@example.com", "type": "hard"},
                 {"email": "not-an-address", "type": "bounced", "smtpCode": 999}]""", SECRET, now());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("invalid_bounce").contains("/1/email").contains("/1/type").contains("/1/smtpCode");
        assertThat(suppressions.list(10)).isEmpty();
    }
}
