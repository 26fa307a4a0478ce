package io.tessera.bench.opentime;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.opentime.DataClass;
import io.tessera.opentime.FeedDeclaration;
import io.tessera.opentime.FeedField;
import io.tessera.opentime.FeedResolver;
import io.tessera.opentime.FeedSources;
import io.tessera.opentime.OpenTimeClaim;
import io.tessera.opentime.OpenTimeTokens;
import io.tessera.opentime.ProductAttribute;
import io.tessera.opentime.ProductOffer;
import io.tessera.server.opentime.CachedFeedSources;
import io.tessera.server.opentime.OpenTimeRoutes;
import io.tessera.server.opentime.OpenTimeSettings;
import io.tessera.testkit.InMemoryFeedSources;
import io.tessera.tracking.TrackingToken;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The open-time feed as bench/opentime.sh and {@link FeedPathBenchmark} measure it: the real
 * routes, cached sources, resolver and tokens over in-memory backends (four fields: two traits,
 * the last viewed product and two recommendations), rate limits raised out of the way.
 */
final class FeedFixture implements AutoCloseable {
    final InstantSource clock = InstantSource.system();
    final FeedDeclaration declaration;
    final CachedFeedSources cached;
    final FeedResolver resolver;
    final OpenTimeTokens tokens;
    final OpenTimeRoutes routes;
    final String token;

    FeedFixture() {
        InMemoryFeedSources data = new InMemoryFeedSources(clock);
        data.trait("p_1", "firstName", "Ann").trait("p_1", "loyaltyPoints", 420).viewed("p_1", "sku1").recommend("p_1", "sku2", "sku3");
        for (String id : List.of("sku1", "sku2", "sku3")) {
            data.offer(new ProductOffer(id, "Product " + id, new BigDecimal("19.90"), "EUR", 5,
                    "https://shop.example.com/p/" + id, "https://img.example.com/" + id + ".jpg"));
        }
        Set<ProductAttribute> shown = EnumSet.of(ProductAttribute.NAME, ProductAttribute.PRICE, ProductAttribute.IMAGE, ProductAttribute.URL);
        declaration = new FeedDeclaration("welcome", List.of(
                FeedField.trait("firstName", "firstName", DataClass.PROFILE, "there"),
                FeedField.trait("points", "loyaltyPoints", DataClass.LOYALTY, 0),
                FeedField.lastViewed("lastViewed", shown, Map.of("name", "our bestsellers")),
                FeedField.recommended("picks", 2, shown, List.of(Map.of("name", "New arrivals")))), List.of(), Set.of("img.example.com"));
        OpenTimeSettings settings = OpenTimeSettings.defaults(Set.of("news@shop.example.com")).withRateLimits(100_000_000, 100_000_000);
        cached = new CachedFeedSources(new FeedSources(data, data, data), settings.staleness(),
                settings.sourceTimeout(), clock, new SimpleMeterRegistry());
        resolver = new FeedResolver(cached.asFeedSources(), settings.staleness(), clock);
        tokens = new OpenTimeTokens(new TrackingToken(List.of(new TrackingToken.Key("k1",
                "bench-signing-key-0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII))), clock));
        routes = new OpenTimeRoutes(tokens, k -> Optional.of(declaration), resolver, settings, clock, new SimpleMeterRegistry());
        token = tokens.issue(OpenTimeClaim.feed("p_1", "m_1", "welcome", clock.instant().plus(Duration.ofDays(1))));
    }

    @Override
    public void close() {
        cached.close();
    }
}
