package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The whole loop through a real server: events in over the tracking API, a segment, a template and
 * a campaign through the admin API, the campaign sent to the outbox, the open pixel and the click
 * redirect taken from the real message, and those events back on the profile and in the stats.
 */
class CampaignEndToEndTest {

    static final String TEMPLATE = """
            {"subject": "Hi {{ profile.firstName | default: 'there' }}",
             "html": "<html><body>{{ blocks }}</body></html>",
             "blocks": {"greeting": {"body": "<p>Hello {{ name }}</p><p><a href=\\"https://shop.example/new\\">See what is new</a></p>",
                                     "inputs": {"name": {"path": "profile.firstName", "default": "friend"}}}}}""";

    static final Pattern CLICK = Pattern.compile("href=\"(http://[^\"]+/t/c/[^\"]+)\"");
    static final Pattern PIXEL = Pattern.compile("src=\"(http://[^\"]+/t/o/[^\"]+)\"");

    @TempDir
    Path dir;

    @Test
    void campaignGoesOutAndOpensClicksAndOrdersComeBackAsEventsAndStats() throws Exception {
        try (RunningTessera t = new RunningTessera(dir.resolve("data"))) {
            assertThat(t.post("/v1/batch", """
                    {"batch": [
                      {"type": "identify", "userId": "u_ann", "traits": {"email": "ann@example.com", "firstName": "Ann"}, "messageId": "e1"},
                      {"type": "identify", "userId": "u_bob", "traits": {"email": "bob@example.com", "firstName": "Bob"}, "messageId": "e2"},
                      {"type": "identify", "userId": "u_cy", "traits": {"firstName": "Cy"}, "messageId": "e3"}]}""").statusCode()).isEqualTo(200);
            t.awaitProfiles();
            assertThat(t.admin("PUT", "/api/v1/segments/reachable", "{\"name\": \"Reachable\", \"condition\": \"has(traits.email)\"}")
                    .statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    ((Number) t.getJson("/api/v1/segments/reachable/count").get("count")).longValue() == 2);
            HttpResponse<String> template = t.admin("PUT", "/api/v1/templates/hello", TEMPLATE);
            assertThat(template.statusCode()).as(template.body()).isEqualTo(200);

            HttpResponse<String> put = t.admin("PUT", "/api/v1/campaigns/welcome", """
                    {"name": "Welcome", "audience": {"segment": "reachable"}, "template": {"key": "hello"},
                     "sender": {"address": "news@shop.example", "name": "Shop"}, "conversionDays": 7}""");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(t.admin("POST", "/api/v1/campaigns/welcome/start", null).statusCode()).isEqualTo(202);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    "done".equals(path(t.getJson("/api/v1/campaigns/welcome"), "runs", "welcome", "state")));

            JsonNode box = RunningTessera.JSON.readTree(t.get("/api/v1/outbox?campaign=welcome").body());
            assertThat(box.path("count").asLong()).isEqualTo(2);
            String annId = null;
            for (JsonNode m : box.path("messages")) {
                if (m.path("to").asString().equals("ann@example.com")) {
                    annId = m.path("messageId").asString();
                    assertThat(m.path("subject").asString()).isEqualTo("Hi Ann");
                }
            }
            assertThat(annId).as("a message to Ann").isNotNull();
            String html = htmlPart(t.get("/api/v1/outbox/" + annId).body().getBytes(StandardCharsets.UTF_8));
            assertThat(html).contains("Hello Ann").doesNotContain("https://shop.example/new\"");

            HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<byte[]> pixel = plain.send(HttpRequest.newBuilder(URI.create(first(PIXEL, html))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(pixel.statusCode()).isEqualTo(200);
            assertThat(pixel.headers().firstValue("content-type")).hasValue("image/gif");
            HttpResponse<String> click = plain.send(HttpRequest.newBuilder(URI.create(first(CLICK, html))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(click.statusCode()).isEqualTo(302);
            assertThat(click.headers().firstValue("location")).hasValue("https://shop.example/new");
            String link = first(CLICK, html);
            int at = link.length() - 6;
            String forged = link.substring(0, at) + (link.charAt(at) == 'x' ? 'y' : 'x') + link.substring(at + 1);
            assertThat(plain.send(HttpRequest.newBuilder(URI.create(forged)).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(404);

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                Map<String, Object> profile = t.getJson("/api/v1/profiles/u_ann");
                @SuppressWarnings("unchecked") Map<String, Object> events = (Map<String, Object>) profile.get("events");
                return events.containsKey("Email Opened") && events.containsKey("Email Link Clicked");
            });
            assertThat(t.post("/v1/track", """
                    {"userId": "u_ann", "event": "Order Completed", "properties": {"revenue": 42.0}, "messageId": "o1"}""")
                    .statusCode()).isEqualTo(200);
            t.awaitProfiles();

            JsonNode arm = RunningTessera.JSON.readTree(t.get("/api/v1/campaigns/welcome/stats").body()).path("arms").path("A");
            assertThat(arm.path("sent").asLong()).isEqualTo(2);
            assertThat(arm.path("delivered").asLong()).isEqualTo(2);
            assertThat(arm.path("openedUnique").asLong()).isEqualTo(1);
            assertThat(arm.path("clickedUnique").asLong()).isEqualTo(1);
            assertThat(arm.path("converted").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aTemplateThatFailsTheFallbackLintIsRefusedUnlessOverridden() throws Exception {
        try (RunningTessera t = new RunningTessera(dir.resolve("data"))) {
            assertThat(t.admin("PUT", "/api/v1/templates/risky", """
                    {"subject": "Hi {{ profile.firstName }}", "html": "<html><body><p>Hello</p></body></html>"}""").statusCode())
                    .isEqualTo(200);
            String campaign = """
                    {"audience": {"segment": "anyone"}, "template": {"key": "risky"}, "sender": {"address": "news@shop.example"}%s}""";
            HttpResponse<String> refused = t.admin("PUT", "/api/v1/campaigns/risky", campaign.formatted(""));
            assertThat(refused.statusCode()).isEqualTo(422);
            JsonNode error = RunningTessera.JSON.readTree(refused.body()).path("error");
            assertThat(error.path("code").asString()).isEqualTo("template_refused");
            assertThat(error.path("details").get(0).path("pointer").asString()).isEqualTo("/template");
            assertThat(error.path("details").get(0).path("message").asString()).contains("profile.firstName");
            assertThat(t.admin("PUT", "/api/v1/campaigns/risky", campaign.formatted(", \"override\": true")).statusCode())
                    .isEqualTo(200);
            assertThat(t.admin("PUT", "/api/v1/campaigns/nothing", """
                    {"audience": {"segment": "anyone"}, "template": {"key": "missing"}, "sender": {"address": "news@shop.example"}}""")
                    .statusCode()).isEqualTo(422);
        }
    }

    @Test
    void enteringTheTriggerSegmentSendsTheTriggeredCampaign() throws Exception {
        try (RunningTessera t = new RunningTessera(dir.resolve("data"))) {
            assertThat(t.post("/v1/identify", """
                    {"userId": "u_dee", "traits": {"email": "dee@example.com", "firstName": "Dee"}, "messageId": "d1"}""")
                    .statusCode()).isEqualTo(200);
            t.awaitProfiles();
            assertThat(t.admin("PUT", "/api/v1/segments/browsers", """
                    {"condition": "count(\\"Product Viewed\\", duration(\\"48h\\")) > 0 && count(\\"Order Completed\\", duration(\\"48h\\")) == 0"}""")
                    .statusCode()).isEqualTo(200);
            assertThat(t.admin("PUT", "/api/v1/templates/hello", TEMPLATE).statusCode()).isEqualTo(200);
            HttpResponse<String> put = t.admin("PUT", "/api/v1/campaigns/browse-abandon", """
                    {"audience": {"segment": "browsers"}, "template": {"key": "hello"}, "sender": {"address": "news@shop.example"},
                     "trigger": {"segment": "browsers", "delay": "PT0S"}, "frequencyCap": {"max": 3, "period": "P7D"}}""");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(t.admin("POST", "/api/v1/campaigns/browse-abandon/start", null).statusCode()).isEqualTo(409);

            assertThat(t.post("/v1/track", """
                    {"userId": "u_dee", "event": "Product Viewed", "properties": {"product_id": "sku-1"}, "messageId": "v1"}""")
                    .statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    RunningTessera.JSON.readTree(t.get("/api/v1/outbox?campaign=browse-abandon").body()).path("count").asLong() == 1);
            JsonNode m = RunningTessera.JSON.readTree(t.get("/api/v1/outbox?campaign=browse-abandon").body()).path("messages").get(0);
            assertThat(m.path("to").asString()).isEqualTo("dee@example.com");
            assertThat(m.path("subject").asString()).isEqualTo("Hi Dee");
            JsonNode stats = RunningTessera.JSON.readTree(t.get("/api/v1/campaigns/browse-abandon/stats").body());
            assertThat(stats.path("arms").path("A").path("sent").asLong()).isEqualTo(1);
        }
    }

    static Object path(Map<String, Object> m, String... keys) {
        Object cur = m;
        for (String k : keys) {
            if (!(cur instanceof Map<?, ?> map)) {
                return null;
            }
            cur = map.get(k);
        }
        return cur;
    }

    static String first(Pattern p, String html) {
        Matcher m = p.matcher(html);
        assertThat(m.find()).as("%s in %s", p, html).isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    static String htmlPart(byte[] raw) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        Multipart mp = (Multipart) m.getContent();
        for (int i = 0; i < mp.getCount(); i++) {
            BodyPart part = mp.getBodyPart(i);
            if (part.isMimeType("text/html")) {
                return String.valueOf(part.getContent());
            }
        }
        throw new AssertionError("no HTML part in " + List.of(new String(raw, StandardCharsets.UTF_8)));
    }
}
