package io.tessera.server.tracking;

import io.tessera.server.ErrorMapper;
import io.tessera.server.Json;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.tessera.delivery.SendKey;
import io.tessera.delivery.Suppression;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.tracking.LegacyLinks;
import io.tessera.delivery.tracking.SignedTrackingLinks;
import io.tessera.testkit.MutableClock;
import io.tessera.tracking.TrackingToken;
import io.tessera.event.EventType;
import io.tessera.ingest.RequestVerdict;
import io.tessera.profile.Identity;
import io.tessera.profile.IdentityKind;
import io.tessera.server.Tessera;
import io.tessera.server.TesseraConfig;
import io.tessera.store.sqlite.SqliteSuppressionList;
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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opens, clicks and one-click unsubscribes over HTTP become events on the real profile, through the real Ingestor. */
class TrackingRoutesTest {

    @TempDir
    Path dir;

    Tessera tessera;
    SqliteSuppressionList suppressions;
    Javalin http;
    String profileId;
    final MutableClock clock = new MutableClock(Instant.now());
    final LegacyLinks legacy = new LegacyLinks("an-old-tracking-key-of-32-bytes!".getBytes(StandardCharsets.US_ASCII),
            clock.instant().plus(Duration.ofDays(365)));
    final SignedTrackingLinks links = new SignedTrackingLinks(() -> "https://t.shop.example", new TrackingToken(
            List.of(new TrackingToken.Key("k1", "a-test-key-of-thirty-two-bytes!!".getBytes(StandardCharsets.US_ASCII))), clock),
            Duration.ofDays(365), clock, Optional.of(legacy));
    final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() {
        tessera = new Tessera(TesseraConfig.forTests(dir, "wk", "admin"));
        suppressions = new SqliteSuppressionList(dir.resolve("tessera.db")); // before processing starts: no schema work racing the engine
        tessera.startProcessing();
        RequestVerdict v = tessera.ingestor().parse(Optional.of(EventType.IDENTIFY),
                "{\"userId\":\"u1\",\"traits\":{\"email\":\"ann@example.com\"}}".getBytes(StandardCharsets.UTF_8), "test");
        tessera.ingestor().ingest((RequestVerdict.Parsed) v, "test").join();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                tessera.profiles().resolve(new Identity(IdentityKind.USER_ID, "u1")).isPresent());
        profileId = tessera.profiles().resolve(new Identity(IdentityKind.USER_ID, "u1")).orElseThrow();
        TrackingRoutes routes = new TrackingRoutes(links, tessera.ingestor(), tessera.profiles(), suppressions, InstantSource.system(),
                campaign -> campaign.equals("weekly") ? Optional.of(new Campaign.Topic("news", false)) : Optional.empty());
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
        suppressions.close();
        tessera.close();
    }

    /** The token of the first link of a kind; for clicks with its {@code ?u=} parameter. */
    String token(String html, String kind) {
        Matcher m = Pattern.compile("/t/" + kind + "/([A-Za-z0-9_.-]+(?:\\?u=[^\"]*)?)").matcher(html);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    HttpResponse<byte[]> call(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    List<String> eventNames() {
        return tessera.profiles().history(profileId).stream().map(e -> e.name()).toList();
    }

    @Test
    void openClickAndOneClickUnsubscribeBecomeEventsAndSuppressTheAddress() throws Exception {
        SendKey key = new SendKey("autumn", profileId);
        String html = links.decorate("<html><body><a href=\"https://shop.example/sale\">Sale</a></body></html>", key, "m1@x");

        HttpResponse<byte[]> pixel = call("GET", "/t/o/" + token(html, "o"));
        assertThat(pixel.statusCode()).isEqualTo(200);
        assertThat(pixel.headers().firstValue("content-type")).contains("image/gif");
        assertThat(new String(pixel.body(), 0, 6, StandardCharsets.US_ASCII)).isEqualTo("GIF89a");

        HttpResponse<byte[]> click = call("GET", "/t/c/" + token(html, "c"));
        assertThat(click.statusCode()).isEqualTo(302);
        assertThat(click.headers().firstValue("location")).contains("https://shop.example/sale");

        String unsub = links.unsubscribeUrl(key, "m1@x").orElseThrow();
        assertThat(call("POST", unsub.substring(unsub.indexOf("/t/u/"))).statusCode()).isEqualTo(200);
        assertThat(suppressions.find("ann@example.com")).get().extracting(Suppression::reason)
                .isEqualTo(Suppression.Reason.UNSUBSCRIBE);

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                eventNames().containsAll(List.of("Email Opened", "Email Link Clicked", "Unsubscribed")));
        assertThat(tessera.profiles().history(profileId).stream().filter(e -> e.name().equals("Email Link Clicked")).findFirst()
                .orElseThrow().properties()).containsEntry("campaign", "autumn").containsEntry("url", "https://shop.example/sale");
    }

    @Test
    void forgedClickTokenNeverRedirectsAndRecordsNothing() throws Exception {
        String html = links.decorate("<a href=\"https://shop.example/sale\">x</a>", new SendKey("autumn", profileId), "m1@x");
        String good = token(html, "c");
        String forged = new SignedTrackingLinks(() -> "https://t.shop.example", new TrackingToken(
                List.of(new TrackingToken.Key("k1", new byte[32])), clock), Duration.ofDays(1), clock, Optional.empty()).decorate("<a href=\"https://evil.example/\">x</a>", new SendKey("autumn", profileId), "m1@x");
        HttpResponse<byte[]> r = call("GET", "/t/c/" + token(forged, "c"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("location")).isEmpty();
        String goodToken = good.substring(0, good.indexOf('?'));
        assertThat(call("GET", "/t/c/" + goodToken.substring(0, goodToken.length() - 2) + "AA" + good.substring(good.indexOf('?')))
                .statusCode()).isEqualTo(404);
        HttpResponse<byte[]> redirected = call("GET", "/t/c/" + goodToken + "?u=https%3A%2F%2Fevil.example%2F");
        assertThat(redirected.statusCode()).as("open redirect through a changed u").isEqualTo(404);
        assertThat(redirected.headers().firstValue("location")).isEmpty();
        assertThat(call("GET", "/t/c/" + goodToken).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/t/u/" + goodToken).statusCode()).isEqualTo(404);
        assertThat(suppressions.find("ann@example.com")).isEmpty();
    }

    HttpResponse<byte[]> postForm(String path, String form) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http.port() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void oneClickOnATopicCampaignUnsubscribesFromTheTopicOnlyAndTheFormCanStillUnsubscribeFromAll() throws Exception {
        String unsub = links.unsubscribeUrl(new SendKey("weekly@2026-11-02", profileId), "m2@x").orElseThrow();
        String path = unsub.substring(unsub.indexOf("/t/u/"));

        String form = new String(call("GET", path).body(), StandardCharsets.UTF_8);
        assertThat(form).contains("Unsubscribe from news").contains("name=\"scope\" value=\"all\"");
        HttpResponse<byte[]> oneClick = postForm(path, "List-Unsubscribe=One-Click");
        assertThat(oneClick.statusCode()).isEqualTo(200);
        assertThat(suppressions.find("ann@example.com")).as("only the topic").isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> tessera.profiles().get(profileId).orElseThrow()
                .traits().containsKey("topic.news"));
        assertThat(tessera.profiles().get(profileId).orElseThrow().traits().get("topic.news").value()).isEqualTo(false);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> tessera.profiles().history(profileId).stream()
                .anyMatch(e -> e.name().equals("Unsubscribed") && "news".equals(e.properties().get("topic"))));

        assertThat(postForm(path, "scope=all").statusCode()).isEqualTo(200);
        assertThat(suppressions.find("ann@example.com")).get().extracting(Suppression::reason)
                .isEqualTo(Suppression.Reason.UNSUBSCRIBE);
    }

    @Test
    void linksSentBeforeTheTokenUnificationStillWorkUntilTheirAcceptanceEnds() throws Exception {
        SendKey key = new SendKey("autumn", profileId);
        String oldClick = legacy.issue(SignedTrackingLinks.Kind.CLICK, key, "m0@x", "https://shop.example/old");
        String oldUnsubscribe = legacy.issue(SignedTrackingLinks.Kind.UNSUBSCRIBE, key, "m0@x", "");

        HttpResponse<byte[]> click = call("GET", "/t/c/" + oldClick);
        assertThat(click.statusCode()).isEqualTo(302);
        assertThat(click.headers().firstValue("location")).contains("https://shop.example/old");

        clock.set(legacy.acceptedUntil());
        assertThat(call("GET", "/t/c/" + oldClick).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/t/u/" + oldUnsubscribe).statusCode()).isEqualTo(404);
        assertThat(suppressions.find("ann@example.com")).isEmpty();
    }
}
