package io.tessera.bench.opentime;

import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.opentime.DataClass;
import io.tessera.opentime.FeedDeclaration;
import io.tessera.opentime.FeedField;
import io.tessera.opentime.FeedResolver;
import io.tessera.opentime.FeedSources;
import io.tessera.opentime.OpenTimeTokens;
import io.tessera.opentime.OpenTimeClaim;
import io.tessera.opentime.ProductAttribute;
import io.tessera.opentime.ProductOffer;
import io.tessera.tracking.TrackingToken;
import io.tessera.server.opentime.CachedFeedSources;
import io.tessera.server.opentime.OpenTimeRoutes;
import io.tessera.server.opentime.OpenTimeSettings;
import io.tessera.testkit.InMemoryFeedSources;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The feed endpoint for bench/opentime.sh: the real routes, cached sources and resolver over
 * in-memory backends, rate limits raised out of the way. Writes the feed path and its body (for
 * nginx's same-size static file) to the directory given, then serves until killed.
 * Usage: OpenTimeFeedServer PORT OUT_DIR
 */
public final class OpenTimeFeedServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        InstantSource clock = InstantSource.system();
        InMemoryFeedSources data = new InMemoryFeedSources(clock);
        data.trait("p_1", "firstName", "Ann").trait("p_1", "loyaltyPoints", 420).viewed("p_1", "sku1").recommend("p_1", "sku2", "sku3");
        for (String id : List.of("sku1", "sku2", "sku3")) {
            data.offer(new ProductOffer(id, "Product " + id, new BigDecimal("19.90"), "EUR", 5,
                    "https://shop.example.com/p/" + id, "https://img.example.com/" + id + ".jpg"));
        }
        Set<ProductAttribute> shown = EnumSet.of(ProductAttribute.NAME, ProductAttribute.PRICE, ProductAttribute.IMAGE, ProductAttribute.URL);
        FeedDeclaration declaration = new FeedDeclaration("welcome", List.of(
                FeedField.trait("firstName", "firstName", DataClass.PROFILE, "there"),
                FeedField.trait("points", "loyaltyPoints", DataClass.LOYALTY, 0),
                FeedField.lastViewed("lastViewed", shown, Map.of("name", "our bestsellers")),
                FeedField.recommended("picks", 2, shown, List.of(Map.of("name", "New arrivals")))), List.of(), Set.of("img.example.com"));
        OpenTimeSettings settings = OpenTimeSettings.defaults(Set.of("news@shop.example.com")).withRateLimits(100_000_000, 100_000_000);
        CachedFeedSources cached = new CachedFeedSources(new FeedSources(data, data, data), settings.staleness(),
                settings.sourceTimeout(), clock, new SimpleMeterRegistry());
        FeedResolver resolver = new FeedResolver(cached.asFeedSources(), settings.staleness(), clock);
        OpenTimeTokens tokens = new OpenTimeTokens(new TrackingToken(List.of(new TrackingToken.Key("k1",
                "bench-signing-key-0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII))), clock));
        OpenTimeRoutes routes = new OpenTimeRoutes(tokens, k -> Optional.of(declaration), resolver, settings, new SimpleMeterRegistry());
        Javalin.create(cfg -> routes.register(cfg.routes)).start("127.0.0.1", port);
        String token = tokens.issue(OpenTimeClaim.feed("p_1", "m_1", "welcome", clock.instant().plus(Duration.ofDays(1))));
        Files.writeString(out.resolve("feed-path.txt"), "/o/" + token + "/feed.json");
        Files.write(out.resolve("feed.json"), io.tessera.bench.opentime.FeedBody.of(resolver.resolve(declaration, "p_1").values()));
    }
}
