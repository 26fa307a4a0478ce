package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A campaign's audience, holdout and A/B variants through a real server, real segments and
 * GreenMail (a real SMTP server; we assert what it received), DKIM-signed with the configured key
 * (dkimpy verifies a received message) and with RFC 8058 one-click headers: the audience is the segment minus the
 * excluded segment; the holdout gets nothing; variant A gets the template's subject and blocks,
 * variant B its own subject and another template's blocks; a click in a B message followed by an
 * order is a conversion of arm B, and each variant has a lift over the holdout with its interval.
 */
class CampaignAudienceAndVariantsTest {

    static final int PEOPLE = 40;
    static final String SALE = """
            {"subject": "Sale", "html": "<html><body>{{ blocks }}</body></html>",
             "blocks": {"sale": {"body": "<p>Big sale for {{ name }}</p><p><a href=\\"https://shop.example/sale\\">Shop the sale</a></p>",
                                 "inputs": {"name": {"path": "profile.firstName", "default": "friend"}}}}}""";

    @RegisterExtension
    GreenMailExtension relay = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    static boolean buyer(int i) {
        return i % 5 == 0;
    }

    /** dkimpy (Debian's python3-dkim) verifies what the relay received with this public key. */
    static void assertDkimVerifies(byte[] raw, PublicKey key, Path dir) throws Exception {
        Path eml = Files.write(dir.resolve("got.eml"), raw);
        String pub = Base64.getEncoder().encodeToString(key.getEncoded());
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import sys, dkim\n"
                + "print(dkim.verify(open(sys.argv[1],'rb').read(), dnsfunc=lambda n, timeout=5: b'v=DKIM1; k=rsa; p=" + pub + "'))",
                eml.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(out).as("dkimpy on what the relay received").endsWith("True");
    }

    @Test
    void segmentMinusExcludedHoldoutGetsNothingAndEachVariantGetsItsSubjectAndBlocks() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair dkim = g.generateKeyPair();
        Path keyFile = Files.writeString(dir.resolve("dkim.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(dkim.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        boolean verified = false;
        try (RunningTessera t = new RunningTessera(dir.resolve("data"), Map.of("smtp.host", "127.0.0.1",
                "smtp.port", String.valueOf(relay.getSmtp().getPort()), "smtp.starttls", "false",
                "dkim.key-file", keyFile.toString(), "dkim.domain", "shop.example", "dkim.selector", "sel"))) {
            StringBuilder batch = new StringBuilder("{\"batch\": [");
            for (int i = 0; i < PEOPLE; i++) {
                batch.append(i == 0 ? "" : ",").append("""
                        {"type": "identify", "userId": "u%d", "traits": {"email": "p%d@example.com", "firstName": "P%d"%s}, "messageId": "i%d"}"""
                        .formatted(i, i, i, buyer(i) ? ", \"buyer\": true" : "", i));
            }
            assertThat(t.post("/v1/batch", batch.append("]}").toString()).statusCode()).isEqualTo(200);
            t.awaitProfiles();
            assertThat(t.admin("PUT", "/api/v1/segments/all", "{\"condition\": \"has(traits.email)\"}").statusCode()).isEqualTo(200);
            assertThat(t.admin("PUT", "/api/v1/segments/buyers", "{\"condition\": \"has(traits.buyer)\"}").statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    ((Number) t.getJson("/api/v1/segments/all/count").get("count")).longValue() == PEOPLE
                            && ((Number) t.getJson("/api/v1/segments/buyers/count").get("count")).longValue() == PEOPLE / 5);
            assertThat(t.admin("PUT", "/api/v1/templates/hello", CampaignEndToEndTest.TEMPLATE).statusCode()).isEqualTo(200);
            assertThat(t.admin("PUT", "/api/v1/templates/sale", SALE).statusCode()).isEqualTo(200);
            HttpResponse<String> put = t.admin("PUT", "/api/v1/campaigns/autumn", """
                    {"audience": {"segment": "all", "excluding": "buyers"}, "template": {"key": "hello"},
                     "sender": {"address": "news@shop.example"}, "holdoutPercent": 25,
                     "variants": [{"name": "A", "weight": 1},
                                  {"name": "B", "weight": 1, "subject": "Sale for {{ profile.firstName | default: 'you' }}",
                                   "template": {"key": "sale"}}]}""");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(t.admin("POST", "/api/v1/campaigns/autumn/start", "").statusCode()).isEqualTo(202);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                    "done".equals(CampaignEndToEndTest.path(t.getJson("/api/v1/campaigns/autumn"), "runs", "autumn", "state")));

            Set<String> to = new HashSet<>();
            Map<String, Integer> perArm = new HashMap<>();
            String clickInB = null;
            for (MimeMessage m : relay.getReceivedMessages()) {
                String address = m.getRecipients(Message.RecipientType.TO)[0].toString();
                assertThat(to.add(address)).as("once: " + address).isTrue();
                int i = Integer.parseInt(address.substring(1, address.indexOf('@')));
                assertThat(buyer(i)).as(address + " is in the excluded segment").isFalse();
                String arm = m.getHeader("X-Tessera-Variant", null);
                perArm.merge(arm, 1, Integer::sum);
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                m.writeTo(raw);
                assertThat(m.getHeader("DKIM-Signature", null)).contains("d=shop.example").contains("s=sel");
                assertThat(m.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
                assertThat(m.getHeader("List-Unsubscribe", null)).contains("/t/u/").as("no mailbox reads a mailto").doesNotContain("mailto:");
                if (!verified) {
                    assertDkimVerifies(raw.toByteArray(), dkim.getPublic(), dir);
                    verified = true;
                }
                String html = CampaignEndToEndTest.htmlPart(raw.toByteArray());
                if (arm.equals("A")) {
                    assertThat(m.getSubject()).isEqualTo("Hi P" + i);
                    assertThat(html).contains("Hello P" + i).doesNotContain("Big sale");
                } else {
                    assertThat(arm).isEqualTo("B");
                    assertThat(m.getSubject()).isEqualTo("Sale for P" + i);
                    assertThat(html).contains("Big sale for P" + i).doesNotContain("Hello");
                    clickInB = clickInB != null ? clickInB : i + " " + CampaignEndToEndTest.first(CampaignEndToEndTest.CLICK, html);
                }
            }
            JsonNode stats = RunningTessera.JSON.readTree(t.get("/api/v1/campaigns/autumn/stats").body());
            long holdout = stats.path("arms").path("holdout").path("audience").asLong();
            long audience = PEOPLE - PEOPLE / 5;
            assertThat(holdout).as("about a quarter").isPositive().isLessThan(audience);
            assertThat(to).hasSize((int) (audience - holdout));
            assertThat(perArm.get("A")).isPositive().isEqualTo(stats.path("arms").path("A").path("delivered").asInt());
            assertThat(perArm.get("B")).isPositive().isEqualTo(stats.path("arms").path("B").path("delivered").asInt());
            assertThat(stats.path("skippedBy").path("holdout").asLong()).isEqualTo(holdout);

            String[] click = clickInB.split(" ", 2);
            HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> redirect = plain.send(HttpRequest.newBuilder(URI.create(click[1])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(redirect.headers().firstValue("location")).hasValue("https://shop.example/sale");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    RunningTessera.JSON.readTree(t.get("/api/v1/campaigns/autumn/stats").body())
                            .path("arms").path("B").path("clickedUnique").asLong() == 1);
            assertThat(t.post("/v1/track", """
                    {"userId": "u%s", "event": "Order Completed", "properties": {"revenue": 42.0}, "messageId": "o1"}"""
                    .formatted(click[0])).statusCode()).isEqualTo(200);
            t.awaitProfiles();
            JsonNode after = RunningTessera.JSON.readTree(t.get("/api/v1/campaigns/autumn/stats").body());
            assertThat(after.path("arms").path("B").path("converted").asLong()).isEqualTo(1);
            assertThat(after.path("arms").path("A").path("converted").asLong()).isZero();
            JsonNode lift = after.path("liftVsHoldout").path("B");
            assertThat(lift.path("difference").asDouble()).isPositive()
                    .isBetween(lift.path("low").asDouble(), lift.path("high").asDouble());
            assertThat(after.path("liftVsHoldout").has("A")).isTrue();
        }
    }
}
