package io.tessera.server.opentime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.opentime.OpenTimeClaim;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Invariant 7 over HTTP: signed, unexpired, purpose-bound tokens; declared fields only; no open redirect. */
class OpenTimeSecurityTest {
    final OpenTimeFixture f = new OpenTimeFixture(OpenTimeFixture.settings());

    @AfterEach
    void stop() {
        f.close();
    }

    private void assertOpaqueRefusal(HttpResponse<String> r, String what) {
        assertThat(r.statusCode()).as(what).isEqualTo(404);
        assertThat(r.body()).as(what).isEqualTo("{\"error\":{\"code\":\"not_found\",\"message\":\"not found\",\"details\":[]}}");
        assertThat(r.headers().firstValue("Location")).as(what).isEmpty();
    }

    @Test
    void forgedExpiredTruncatedAndMisdirectedTokensAllGetTheSameOpaque404() {
        String good = f.feedToken("p_1");
        String payload = good.substring(0, good.indexOf('.'));
        String decoded = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.US_ASCII);
        String otherProfile = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(decoded.replace("p_1", "p_2").getBytes(StandardCharsets.US_ASCII)) + good.substring(good.indexOf('.'));
        String expired = f.tokens.issue(OpenTimeClaim.feed("p_1", "m_1", "welcome", f.clock.instant().plusSeconds(30)));
        String unknownTemplate = f.tokens.issue(OpenTimeClaim.feed("p_1", "m_1", "other", f.clock.instant().plusSeconds(3600)));
        f.clock.advance(Duration.ofSeconds(31));
        good = f.feedToken("p_1");

        Map<String, String> bad = Map.of(
                "forged signature", good.substring(0, good.length() - 3) + "AAA",
                "truncated", good.substring(0, good.length() - 10),
                "payload only", payload,
                "reused for another profile", otherProfile,
                "expired", expired,
                "unknown template", unknownTemplate,
                "image token on a feed", f.imageToken("p_1"),
                "garbage", "..%2e%2e");
        bad.forEach((what, token) -> {
            for (String endpoint : List.of("feed.json", "feed.xml", "amp.json")) {
                assertOpaqueRefusal(f.get("/o/" + token + "/" + endpoint, "AMP-Email-Sender", "news@shop.example.com"),
                        what + " on " + endpoint);
            }
        });
        assertOpaqueRefusal(f.get("/o/" + good + "/img/hero"), "feed token replayed on the image endpoint");
        assertOpaqueRefusal(f.get("/o/" + f.imageToken("p_1") + "/img/nope"), "undeclared slot");
        assertThat(f.get("/o/" + good + "/feed.json").statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenThatWorkedBeforeIsStillRefusedOnceExpiredOrUsedForTheOtherEndpoint() {
        String shortLived = f.tokens.issue(OpenTimeClaim.feed("p_1", "m_1", "welcome", f.clock.instant().plusSeconds(30)));
        assertThat(f.get("/o/" + shortLived + "/feed.json").statusCode()).isEqualTo(200);
        assertOpaqueRefusal(f.get("/o/" + shortLived + "/img/hero"), "a verified feed token on the image endpoint");
        f.clock.advance(Duration.ofSeconds(30));
        assertOpaqueRefusal(f.get("/o/" + shortLived + "/feed.json"), "a verified token after its expiry");
    }

    @Test
    void aReplayedTokenIsLimitedPerTokenAndEnumerationPerAddress() {
        OpenTimeFixture limited = new OpenTimeFixture(OpenTimeFixture.settings().withRateLimits(5, 12));
        try {
            String t = limited.feedToken("p_1");
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                statuses.add(limited.get("/o/" + t + "/feed.json").statusCode());
            }
            assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429);
            List<Integer> guesses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                guesses.add(limited.get("/o/guess" + i + ".x/feed.json").statusCode());
            }
            assertThat(guesses).containsExactly(404, 404, 404, 404, 404, 429);
            assertThat(limited.get("/o/" + limited.feedToken("p_2") + "/feed.json").statusCode()).as("address budget spent").isEqualTo(429);
        } finally {
            limited.close();
        }
    }

    @Test
    void imageEndpointIgnoresEveryRedirectAttempt() {
        String t = f.imageToken("p_1");
        List<String> attempts = List.of("?url=https://evil.example/x.png", "?redirect=//evil.example", "?next=javascript:alert(1)",
                "?slot=../../evil", "?Location=https://evil.example");
        for (String q : attempts) {
            HttpResponse<String> r = f.get("/o/" + t + "/img/hero" + q);
            assertThat(r.statusCode()).as(q).isEqualTo(302);
            assertThat(r.headers().firstValue("Location").orElseThrow()).as(q).startsWith("https://img.example.com/");
        }
        for (String slot : List.of("https:%2F%2Fevil.example", "%2F%2Fevil.example", "hero%0d%0aLocation:%20https:%2F%2Fevil.example",
                "..%2F..%2Fhero")) {
            HttpResponse<String> r = f.get("/o/" + t + "/img/" + slot);
            assertThat(r.headers().firstValue("Location")).as(slot).isEmpty();
            assertThat(r.statusCode()).as(slot).isBetween(400, 499);
        }
    }

    @Test
    void aCatalogImageOnAnUndeclaredHostFallsBackInsteadOfRedirecting() {
        f.data.offer(new io.tessera.opentime.ProductOffer("sku1", "x", java.math.BigDecimal.ONE, "EUR", 5,
                "https://shop.example.com", "https://img.example.com.evil.example/x.png"));
        f.data.recommend("p_1", "sku1");
        HttpResponse<String> r = f.get("/o/" + f.imageToken("p_1") + "/img/hero");
        assertThat(r.headers().firstValue("Location")).contains("https://img.example.com/default.jpg");
    }

    @Test
    void injectionInEveryQueryParameterIsNeitherEchoedNorObeyed() {
        List<String> payloads = List.of("<script>alert(1)</script>", "' OR 1=1 --", "\r\nSet-Cookie: a=b", "{{constructor}}",
                "${jndi:ldap://evil.example/a}", "../../etc/passwd", "%00", "\"><img src=x onerror=alert(1)>");
        String feed = "/o/" + f.feedToken("p_1");
        for (String p : payloads) {
            String q = URLEncoder.encode(p, StandardCharsets.UTF_8);
            for (String path : List.of(feed + "/feed.json?fields=" + q + "&profile=" + q,
                    feed + "/feed.xml?callback=" + q, feed + "/amp.json?__amp_source_origin=" + q,
                    "/o/" + f.imageToken("p_1") + "/img/hero?w=" + q)) {
                HttpResponse<String> r = f.get(path, "Origin", "https://mail.google.com");
                assertThat(r.body()).as(path).doesNotContain(p).doesNotContain("ann@example.com");
                assertThat(r.headers().map().toString()).as(path).doesNotContain("Set-Cookie").doesNotContain(p.trim());
                assertThat(r.statusCode()).as(path).isIn(200, 302, 403);
            }
        }
    }

    @Test
    void aFeedNeverReturnsAFieldItsDeclarationDoesNotName() {
        JsonMapper json = JsonMapper.builder().build();
        f.data.trait("p_1", "picks", "should not leak").trait("p_1", "lastViewed", "nor this");
        for (String profile : List.of("p_1", "p_2", "p_unknown")) {
            for (boolean down : List.of(false, true)) {
                f.data.setDown("catalog", down);
                f.data.setDown("profiles", down);
                f.clock.advance(Duration.ofHours(2));
                @SuppressWarnings("unchecked")
                Map<String, Object> feed = json.readValue(f.get("/o/" + f.feedToken(profile) + "/feed.json").body(), Map.class);
                assertThat(feed.keySet()).as(profile).containsExactlyElementsOf(f.declaration.fieldNames());
                for (String nested : List.of("lastViewed")) {
                    assertThat(((Map<?, ?>) feed.get(nested)).keySet()).as(profile)
                            .allMatch(k -> List.of("name", "price", "image", "url").contains(k));
                }
                assertThat(feed.toString()).doesNotContain("should not leak").doesNotContain("@example.com");
            }
        }
    }
}
