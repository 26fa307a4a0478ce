package io.tessera.server.opentime;

import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.opentime.DataClass;
import io.tessera.opentime.FeedDeclaration;
import io.tessera.opentime.FeedField;
import io.tessera.opentime.FeedResolver;
import io.tessera.opentime.OpenTimeTokens;
import io.tessera.opentime.ImageSlot;
import io.tessera.opentime.OpenTimeClaim;
import io.tessera.opentime.ProductAttribute;
import io.tessera.opentime.ProductOffer;
import io.tessera.tracking.TrackingToken;
import io.tessera.testkit.InMemoryFeedSources;
import io.tessera.testkit.MutableClock;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A real Javalin server with the open-time routes over in-memory sources, and an HTTP client. */
final class OpenTimeFixture implements AutoCloseable {
    static final byte[] KEY = "test-signing-key-0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII);
    static final Set<ProductAttribute> SHOWN = EnumSet.of(ProductAttribute.NAME, ProductAttribute.PRICE,
            ProductAttribute.IMAGE, ProductAttribute.URL);

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:00:00Z"));
    final InMemoryFeedSources data = new InMemoryFeedSources(clock);
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final OpenTimeTokens tokens = new OpenTimeTokens(new TrackingToken(List.of(new TrackingToken.Key("k1", KEY)), clock));
    final CachedFeedSources cached;
    final FeedResolver resolver;
    final FeedDeclaration declaration;
    final Javalin app;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    OpenTimeFixture(OpenTimeSettings settings) {
        declaration = new FeedDeclaration("welcome", List.of(
                FeedField.trait("firstName", "firstName", DataClass.PROFILE, "there"),
                FeedField.trait("points", "loyaltyPoints", DataClass.LOYALTY, 0),
                FeedField.lastViewed("lastViewed", SHOWN, Map.of("name", "our bestsellers")),
                FeedField.recommended("picks", 2, SHOWN, List.of(Map.of("name", "New arrivals"))),
                FeedField.countdown("saleEndsIn", clock.instant().plus(Duration.ofHours(2)))),
                List.of(new ImageSlot("hero", new ImageSlot.LastViewedOrSwap(), "https://img.example.com/default.jpg"),
                        new ImageSlot("timer", new ImageSlot.Countdown(clock.instant().plusSeconds(3725)),
                                "https://img.example.com/default.jpg")),
                Set.of("img.example.com"));
        data.trait("p_1", "firstName", "Ann").trait("p_1", "loyaltyPoints", 420)
                .trait("p_1", "email", "ann@example.com").trait("p_1", "phone", "+33 6 12 34 56 78")
                .viewed("p_1", "sku1").recommend("p_1", "sku2", "sku3")
                .offer(offer("sku1", 3)).offer(offer("sku2", 0)).offer(offer("sku3", 5));
        data.trait("p_2", "firstName", "Bob").trait("p_2", "email", "bob@example.com");
        cached = new CachedFeedSources(new io.tessera.opentime.FeedSources(data, data, data), settings.staleness(),
                settings.sourceTimeout(), clock, metrics);
        resolver = new FeedResolver(cached.asFeedSources(), settings.staleness(), clock);
        OpenTimeRoutes routes = new OpenTimeRoutes(tokens, key -> key.equals("welcome") ? Optional.of(declaration) : Optional.empty(),
                resolver, settings, clock, metrics);
        app = Javalin.create(cfg -> routes.register(cfg.routes)).start("127.0.0.1", 0);
    }

    static OpenTimeSettings settings() {
        return OpenTimeSettings.defaults(Set.of("news@shop.example.com", "@mail.shop.example.com"));
    }

    static ProductOffer offer(String id, int stock) {
        return new ProductOffer(id, "Product " + id, new BigDecimal("19.90"), "EUR", stock,
                "https://shop.example.com/p/" + id, "https://img.example.com/" + id + ".jpg");
    }

    String feedToken(String profileId) {
        return tokens.issue(OpenTimeClaim.feed(profileId, "m_1", "welcome", clock.instant().plus(Duration.ofDays(30))));
    }

    String imageToken(String profileId) {
        return tokens.issue(OpenTimeClaim.image(profileId, "m_1", "welcome", clock.instant().plus(Duration.ofDays(30))));
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> getBytes(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    double counter(String name, String... tags) {
        var c = metrics.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        app.stop();
        cached.close();
    }
}
