package io.tessera.server.opentime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class OpenTimeRoutesTest {
    final OpenTimeFixture f = new OpenTimeFixture(OpenTimeFixture.settings());
    final JsonMapper json = JsonMapper.builder().build();

    @AfterEach
    void stop() {
        f.close();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> parse(String body) {
        return json.readValue(body, Map.class);
    }

    @Test
    void jsonFeedServesTheLiveDeclaredFieldsOnlyAndIsNotCached() {
        HttpResponse<String> r = f.get("/o/" + f.feedToken("p_1") + "/feed.json");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store, private");
        Map<String, Object> feed = parse(r.body());
        assertThat(feed.keySet()).containsExactlyElementsOf(f.declaration.fieldNames());
        assertThat(feed).containsEntry("firstName", "Ann").containsEntry("points", 420).containsEntry("saleEndsIn", 7200);
        assertThat(r.body()).doesNotContain("ann@example.com").doesNotContain("+33");
        assertThat(feed.get("picks")).isEqualTo(List.of(Map.of("name", "Product sku3", "price", 19.90,
                "image", "https://img.example.com/sku3.jpg", "url", "https://shop.example.com/p/sku3")));
    }

    @Test
    void xmlFeedCarriesTheSameFieldsEscaped() {
        f.data.trait("p_1", "firstName", "<b>Ann & co</b>");
        HttpResponse<String> r = f.get("/o/" + f.feedToken("p_1") + "/feed.xml");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/xml");
        assertThat(r.body()).contains("<firstName>&lt;b&gt;Ann &amp; co&lt;/b&gt;</firstName>")
                .contains("<points>420</points>").contains("<picks><item><name>Product sku3</name><price>19.90</price>")
                .doesNotContain("email");
    }

    @Test
    void aDownSourceYieldsTheDeclaredFallbackAndIsCountedInMetrics() {
        f.data.setDown("catalog", true);
        f.data.setDown("recommendations", true);

        Map<String, Object> feed = parse(f.get("/o/" + f.feedToken("p_1") + "/feed.json").body());

        assertThat(feed).containsEntry("firstName", "Ann")
                .containsEntry("lastViewed", Map.of("name", "our bestsellers"))
                .containsEntry("picks", List.of(Map.of("name", "New arrivals")));
        assertThat(f.counter("tessera.opentime.source.failures", "source", "catalog")).isPositive();
        assertThat(f.counter("tessera.opentime.fallbacks", "template", "welcome")).isEqualTo(2);
    }

    @Test
    void ampListEndpointAnswersTheVersion2CorsProtocolForAnAllowedSender() {
        HttpResponse<String> r = f.get("/o/" + f.feedToken("p_1") + "/amp.json", "AMP-Email-Sender", "news@shop.example.com");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("AMP-Email-Allow-Sender")).contains("news@shop.example.com");
        assertThat(parse(r.body()).get("items")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("firstName", "Ann");
        HttpResponse<String> domain = f.get("/o/" + f.feedToken("p_1") + "/amp.json", "AMP-Email-Sender", "promo@mail.shop.example.com");
        assertThat(domain.headers().firstValue("AMP-Email-Allow-Sender")).contains("promo@mail.shop.example.com");
    }

    @Test
    void ampListEndpointAnswersTheVersion1CorsProtocol() {
        HttpResponse<String> r = f.get("/o/" + f.feedToken("p_1") + "/amp.json?__amp_source_origin=news%40shop.example.com",
                "Origin", "https://mail.google.com");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("https://mail.google.com");
        assertThat(r.headers().firstValue("AMP-Access-Control-Allow-Source-Origin")).contains("news@shop.example.com");
        assertThat(r.headers().firstValue("Access-Control-Expose-Headers")).contains("AMP-Access-Control-Allow-Source-Origin");
    }

    @Test
    void ampListEndpointRefusesUnknownSendersOriginsAndMissingProtocol() {
        String t = "/o/" + f.feedToken("p_1") + "/amp.json";
        assertThat(f.get(t, "AMP-Email-Sender", "attacker@evil.example").statusCode()).isEqualTo(403);
        assertThat(f.get(t + "?__amp_source_origin=news%40shop.example.com", "Origin", "https://evil.example").statusCode()).isEqualTo(403);
        assertThat(f.get(t + "?__amp_source_origin=attacker%40evil.example", "Origin", "https://mail.google.com").statusCode()).isEqualTo(403);
        assertThat(f.get(t + "?__amp_source_origin=news%40shop.example.com&__amp_source_origin=x%40evil.example",
                "Origin", "https://mail.google.com").statusCode()).isEqualTo(403);
        HttpResponse<String> bare = f.get(t);
        assertThat(bare.statusCode()).isEqualTo(403);
        assertThat(bare.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(bare.body()).doesNotContain("Ann");
    }

    @Test
    void heroImageRedirectsToTheViewedProductAndSwapsWhenItSellsOut() {
        HttpResponse<String> r = f.get("/o/" + f.imageToken("p_1") + "/img/hero");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).contains("https://img.example.com/sku1.jpg");
        assertThat(r.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store").contains("max-age=0");

        f.data.offer(OpenTimeFixture.offer("sku1", 0));
        f.clock.advance(java.time.Duration.ofMinutes(2));  // past the 1-minute price limit
        HttpResponse<String> swapped = f.get("/o/" + f.imageToken("p_1") + "/img/hero");
        assertThat(swapped.headers().firstValue("Location")).contains("https://img.example.com/sku3.jpg");
    }

    @Test
    void countdownSlotIsAFreshPng() {
        HttpResponse<byte[]> r = f.getBytes("/o/" + f.imageToken("p_1") + "/img/timer");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(r.headers().firstValue("Cache-Control").orElseThrow()).contains("no-cache");
        assertThat(r.body()).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void prefetchWarmsTheCacheForACampaignsRecipients() throws Exception {
        FeedPrefetch prefetch = new FeedPrefetch(k -> java.util.Optional.of(f.declaration), f.resolver);
        assertThat(prefetch.warm("welcome", List.of("p_1", "p_2")).get()).isEqualTo(2);
        int callsAfterWarm = f.data.calls("catalog") + f.data.calls("profiles") + f.data.calls("recommendations");

        f.get("/o/" + f.feedToken("p_1") + "/feed.json");
        f.get("/o/" + f.feedToken("p_2") + "/feed.json");

        assertThat(f.data.calls("catalog") + f.data.calls("profiles") + f.data.calls("recommendations")).isEqualTo(callsAfterWarm);
        prefetch.close();
    }
}
