package io.tessera.server.opentime;

import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.event.EventBatchHandler;
import io.tessera.opentime.FeedResolver;
import io.tessera.opentime.FeedSources;
import io.tessera.opentime.OpenTimeLinks;
import io.tessera.opentime.OpenTimeTokens;
import io.tessera.opentime.ProductOffer;
import io.tessera.profile.ProfileStore;
import io.tessera.tracking.TrackingToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Open-time personalization as one feature for the composition root: the data sources (profile
 * store, the product catalog and interactions from the log, the co-occurrence model) behind the
 * staleness caches and guards, the resolver, the routes, the pre-fetch hook and the link maker.
 *
 * <p>Settings: see {@link OpenTimeSettings#from}; plus {@code opentime.feeds-dir} (where template
 * directories keep their {@code feed.json}; default {@code examples/templates}),
 * {@code opentime.catalog-file} (a JSON array of products: {@code id, name, price, currency, stock,
 * url, image, category}), {@code opentime.link-ttl} (default 30 days) and
 * {@code opentime.retrain-every} (recommendation model; default 5 min).
 *
 * <p>Threading: owns one scheduler thread that retrains the model; everything it hands out is
 * thread-safe. {@link #close} stops the scheduler and the source executors.
 */
public final class OpenTimeFeature implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final io.tessera.opentime.amp.AmpEmailComposer AMP = new io.tessera.opentime.amp.AmpEmailComposer();

    private final OpenTimeSettings settings;
    private final OpenTimeTokens tokens;
    private final FeedDeclarationFiles declarations;
    private final LoggedProducts products;
    private final ModelRecommendations recommendations;
    private final CachedFeedSources cached;
    private final FeedResolver resolver;
    private final OpenTimeRoutes routes;
    private final FeedPrefetch prefetch;
    private final Duration linkTtl;
    private final ScheduledExecutorService trainer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("opentime-model").factory());

    /**
     * @param segmentsOf keys of the segments a profile is in now (for {@code segment:<key>} fields)
     */
    public OpenTimeFeature(Function<String, Optional<String>> setting, Function<String, Duration> duration,
                           ProfileStore profiles, Function<String, Set<String>> segmentsOf, TrackingToken trackingTokens,
                           InstantSource clock, MeterRegistry metrics) {
        this.settings = OpenTimeSettings.from(setting, duration);
        this.tokens = new OpenTimeTokens(trackingTokens);
        this.declarations = FeedDeclarationFiles.load(Path.of(setting.apply("opentime.feeds-dir").orElse("examples/templates")));
        this.products = new LoggedProducts(clock);
        setting.apply("opentime.catalog-file").map(Path::of).ifPresent(this::loadCatalog);
        this.recommendations = new ModelRecommendations(products, profiles, clock);
        this.cached = new CachedFeedSources(new FeedSources(new ProfileStoreFacts(profiles, segmentsOf, clock), products,
                recommendations), settings.staleness(), settings.sourceTimeout(), clock, metrics);
        this.resolver = new FeedResolver(cached.asFeedSources(), settings.staleness(), clock);
        this.routes = new OpenTimeRoutes(tokens, declarations, resolver, settings, clock, metrics);
        this.prefetch = new FeedPrefetch(declarations, resolver);
        this.linkTtl = setting.apply("opentime.link-ttl").map(duration).orElse(Duration.ofDays(30));
        long every = setting.apply("opentime.retrain-every").map(duration).orElse(Duration.ofMinutes(5)).toMillis();
        trainer.scheduleWithFixedDelay(recommendations::retrainIfChanged, Math.min(every, 2_000), every, TimeUnit.MILLISECONDS);
    }

    /** Subscribe this to the event log: it builds the catalog and the interactions from the beginning. */
    public EventBatchHandler logReader() {
        return products;
    }

    public void register(RoutesConfig config) {
        routes.register(config);
    }

    /** The open-time URLs for messages sent with links to {@code baseUrl}. */
    public OpenTimeLinks links(String baseUrl) {
        return new OpenTimeLinks(baseUrl, tokens, declarations, linkTtl);
    }

    /**
     * The {@code text/x-amp-html} part of one message, for templates with a feed and an AMP
     * block: an amp-list bound to this recipient's amp-list endpoint. Empty otherwise, or when
     * {@code baseUrl} is not HTTPS (AMP for Email fetches HTTPS only).
     */
    public Optional<String> ampPart(String baseUrl, String templateKey, String profileId, String messageId, java.time.Instant now) {
        if (!baseUrl.startsWith("https://")) {
            return Optional.empty();
        }
        return declarations.ampBlock(templateKey).flatMap(block ->
                Optional.ofNullable((String) links(baseUrl).forMessage(templateKey, profileId, messageId, now).get("amp"))
                        .map(url -> AMP.compose(block, url)));
    }

    /** The open-time parts of outgoing messages, with links to {@code baseUrl} (read per message). */
    public OpenTimeParts parts(java.util.function.Supplier<String> baseUrl, InstantSource clock) {
        return new OpenTimeParts() {
            @Override
            public Map<String, Object> links(String templateKey, String profileId, String messageId) {
                return OpenTimeFeature.this.links(baseUrl.get()).forMessage(templateKey, profileId, messageId, clock.instant());
            }

            @Override
            public Optional<String> amp(String templateKey, String profileId, String messageId) {
                return ampPart(baseUrl.get(), templateKey, profileId, messageId, clock.instant());
            }
        };
    }

    public FeedPrefetch prefetch() {
        return prefetch;
    }

    public FeedDeclarationFiles declarations() {
        return declarations;
    }

    /** The product catalog feeds read (catalog file, then events). */
    public io.tessera.opentime.ProductCatalog catalog() {
        return products;
    }

    /** Interactions read from the log so far (views and purchases). */
    public long interactionsSeen() {
        return products.interactionsSeen();
    }

    /** Trains the recommendation model now if events arrived since the last training. */
    public boolean retrainRecommendations() {
        return recommendations.retrainIfChanged();
    }

    public void loadCatalog(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            loadCatalog(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalog " + file, e);
        }
    }

    /** Products from a JSON array; they win over what events say about the same ids. */
    public void loadCatalog(InputStream json) {
        List<ProductOffer> offers = new ArrayList<>();
        Map<String, String> categories = new HashMap<>();
        for (JsonNode p : JSON.readTree(json)) {
            String id = p.path("id").asString();
            offers.add(new ProductOffer(id, p.path("name").asString(id), new BigDecimal(p.path("price").asString("0")),
                    p.path("currency").asString(""), p.path("stock").asInt(1), p.path("url").asString(""),
                    p.path("image").asString("")));
            if (p.hasNonNull("category")) {
                categories.put(id, p.path("category").asString());
            }
        }
        products.putAll(offers, categories);
    }

    @Override
    public void close() {
        trainer.shutdownNow();
        prefetch.close();
        cached.close();
    }
}
