package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.profile.Identity;
import io.tessera.profile.IdentityKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open-time personalization through the real server: events in over the tracking API, profiles in
 * SQLite, the catalog and recommendations from the log, signing keys from the data directory; a
 * token minted for one profile opens exactly the declared feed and a live image.
 */
class OpenTimeEndToEndTest {
    static final String FEED = """
            {"imageHosts": ["img.example.com"],
             "fields": [
               {"name": "firstName", "trait": "firstName", "class": "profile", "fallback": "there"},
               {"name": "points", "trait": "loyaltyPoints", "class": "loyalty", "fallback": 0},
               {"name": "lastViewed", "lastViewed": ["name", "price", "image", "url"], "fallback": {"name": "Our bestsellers"}},
               {"name": "picks", "recommended": 2, "attributes": ["id", "name"], "fallback": [{"name": "New arrivals"}]}],
             "images": [{"slot": "hero", "choice": "lastViewedOrSwap", "fallback": "https://img.example.com/default.jpg"}]}
            """;
    static final String CATALOG = """
            [{"id": "sku-1", "name": "Trail <Shoes>", "price": 89.0, "currency": "EUR", "stock": 3,
              "url": "https://shop.example.com/p/sku-1", "image": "https://img.example.com/sku-1.jpg", "category": "shoes"},
             {"id": "sku-2", "name": "Socks", "price": 9.5, "currency": "EUR", "stock": 0,
              "url": "https://shop.example.com/p/sku-2", "image": "https://img.example.com/sku-2.jpg", "category": "shoes"},
             {"id": "sku-3", "name": "Headlamp", "price": 34.0, "currency": "EUR", "stock": 7,
              "url": "https://shop.example.com/p/sku-3", "image": "https://img.example.com/sku-3.jpg", "category": "gear"}]
            """;

    @TempDir Path dir;
    final HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    @SuppressWarnings("unchecked")
    void aTokenMintedForAProfileOpensOnlyItsDeclaredFeedAndALiveImage() throws Exception {
        Map<String, String> settings = settings();
        Map<String, Object> links;
        try (RunningTessera t = new RunningTessera(dir.resolve("data"), settings)) {
            String ann = loadShoppers(t);
            links = t.tessera.openTime().links(t.base()).forMessage("welcome", ann, "m_1", Instant.now());

            HttpResponse<String> json = get((String) links.get("feed"));
            assertThat(json.statusCode()).isEqualTo(200);
            assertThat(json.headers().firstValue("Cache-Control")).contains("no-store, private");
            Map<String, Object> feed = RunningTessera.json(json.body());
            assertThat(feed.keySet()).containsExactly("firstName", "points", "lastViewed", "picks");
            assertThat(feed).containsEntry("firstName", "Ann").containsEntry("points", 420);
            assertThat(feed.get("lastViewed")).isEqualTo(Map.of("name", "Trail <Shoes>", "price", 89.0,
                    "image", "https://img.example.com/sku-1.jpg", "url", "https://shop.example.com/p/sku-1"));
            assertThat((List<Object>) feed.get("picks")).as("co-occurrence first; sold-out sku-2 is skipped")
                    .startsWith(Map.of("id", "sku-3", "name", "Headlamp")).doesNotContain(Map.of("id", "sku-2", "name", "Socks"));
            assertThat(json.body()).doesNotContain("ann@example.com", "+33", "u_ann", "lastName");

            HttpResponse<String> xml = get((String) links.get("feedXml"));
            assertThat(xml.statusCode()).isEqualTo(200);
            assertThat(xml.body()).contains("<firstName>Ann</firstName>", "<name>Trail &lt;Shoes&gt;</name>")
                    .doesNotContain("ann@example.com", "Lee");

            @SuppressWarnings("unchecked")
            String hero = ((Map<String, String>) links.get("images")).get("hero");
            HttpResponse<String> image = get(hero);
            assertThat(image.statusCode()).isEqualTo(302);
            assertThat(image.headers().firstValue("Location")).contains("https://img.example.com/sku-1.jpg");
            assertThat(image.headers().firstValue("Cache-Control")).contains("no-cache, no-store, must-revalidate, private, max-age=0");
            assertThat(image.headers().firstValue("Pragma")).contains("no-cache");
            assertThat(image.headers().firstValue("Expires")).contains("0");

            assertThat(get(hero.replace("/img/hero", "/feed.json")).statusCode()).as("image token on the feed").isEqualTo(404);
            assertThat(get(((String) links.get("feed")).replace("/feed.json", "/img/hero")).statusCode()).isEqualTo(404);
            Map<String, Object> otherTemplate = t.tessera.openTime().links(t.base()).forMessage("no-such-template", ann, "m_1", Instant.now());
            assertThat(otherTemplate).as("a template without a declaration gets no links").isEmpty();
        }

        SigningKeyRing.rotate(dir.resolve("data"), Instant.now());
        try (RunningTessera restarted = new RunningTessera(dir.resolve("data"), settings)) {
            String oldFeed = ((String) links.get("feed")).replaceFirst("http://127.0.0.1:\\d+", restarted.base());
            assertThat(get(oldFeed).statusCode()).as("mail sent before a restart and a key rotation still opens").isEqualTo(200);
            assertThat(restarted.tessera.tokens().currentKeyId()).isNotEqualTo("k1");
        }
    }

    private Map<String, String> settings() throws Exception {
        Path feeds = Files.createDirectories(dir.resolve("templates/welcome"));
        Files.writeString(feeds.resolve("feed.json"), FEED);
        Path catalog = Files.writeString(dir.resolve("catalog.json"), CATALOG);
        return Map.of("opentime.feeds-dir", dir.resolve("templates").toString(), "opentime.catalog-file", catalog.toString(),
                "opentime.retrain-every", "1h", "opentime.source-timeout", "2s");
    }

    /** Ann views sku-1; others who viewed sku-1 bought sku-2 or sku-3. Answers Ann's profile id. */
    private static String loadShoppers(RunningTessera t) {
        Instant at = Instant.now().minus(Duration.ofDays(2));
        List<Map<String, Object>> batch = List.of(
                Map.of("type", "identify", "userId", "u_ann", "messageId", "e1", "timestamp", at.toString(),
                        "traits", Map.of("email", "ann@example.com", "firstName", "Ann", "lastName", "Lee", "loyaltyPoints", 420,
                                "phone", "+33 6 12 34 56 78")),
                view("u_bob", "sku-1", "e2", at), order("u_bob", "sku-2", "e3", at.plusSeconds(60)),
                view("u_cleo", "sku-1", "e4", at), order("u_cleo", "sku-3", "e5", at.plusSeconds(60)),
                view("u_ann", "sku-1", "e6", at.plusSeconds(120)));
        assertThat(t.post("/v1/batch", Map.of("batch", batch)).statusCode()).isEqualTo(200);
        t.awaitProfiles();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> t.tessera.openTime().interactionsSeen() == 5);
        t.tessera.openTime().retrainRecommendations();  // unless the trainer's first run already saw them all
        return t.tessera.profiles().resolve(new Identity(IdentityKind.USER_ID, "u_ann")).orElseThrow();
    }

    private static Map<String, Object> view(String user, String sku, String id, Instant at) {
        return Map.of("type", "track", "userId", user, "event", "Product Viewed", "messageId", id, "timestamp", at.toString(),
                "properties", Map.of("product_id", sku));
    }

    private static Map<String, Object> order(String user, String sku, String id, Instant at) {
        return Map.of("type", "track", "userId", user, "event", "Order Completed", "messageId", id, "timestamp", at.toString(),
                "properties", Map.of("order_id", "o-" + id, "products", List.of(Map.of("product_id", sku, "quantity", 1))));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return noRedirects.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
