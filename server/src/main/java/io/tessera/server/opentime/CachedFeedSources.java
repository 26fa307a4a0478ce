package io.tessera.server.opentime;

import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.opentime.DataClass;
import io.tessera.opentime.FeedSources;
import io.tessera.opentime.ProductCatalog;
import io.tessera.opentime.ProductOffer;
import io.tessera.opentime.ProfileFacts;
import io.tessera.opentime.Recommendations;
import io.tessera.opentime.SourceAnswer;
import io.tessera.opentime.StalenessLimits;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The open-time data sources as the feed endpoints see them: each backend port behind a
 * {@link GuardedSource} whose cache lifetime is its data class's staleness limit (traits get one
 * cache per declared class, so loyalty points and first names age differently). Owns a virtual
 * thread executor and a one-thread scheduler for time limits; {@link #close} stops them.
 */
public final class CachedFeedSources implements ProfileFacts, ProductCatalog, Recommendations, AutoCloseable {
    private record TraitKey(String profileId, String trait) {}
    private record ListKey(String profileId, int limit) {}

    private final Map<DataClass, GuardedSource<TraitKey, Optional<Object>>> traits = new EnumMap<>(DataClass.class);
    private final GuardedSource<ListKey, List<String>> viewed;
    private final GuardedSource<String, Optional<ProductOffer>> offers;
    private final GuardedSource<ListKey, List<String>> recommended;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("opentime-time-limits").factory());

    public CachedFeedSources(FeedSources backends, StalenessLimits limits, Duration timeout, InstantSource clock,
                             MeterRegistry metrics) {
        for (DataClass dc : DataClass.values()) {
            traits.put(dc, new GuardedSource<>("profiles", k -> backends.profiles().trait(k.profileId(), k.trait(), dc),
                    limits.limit(dc), timeout, clock, executor, scheduler, metrics));
        }
        viewed = new GuardedSource<>("profiles", k -> backends.profiles().recentlyViewed(k.profileId(), k.limit()),
                limits.limit(DataClass.BROWSING), timeout, clock, executor, scheduler, metrics);
        offers = new GuardedSource<>("catalog", id -> backends.catalog().offer(id),
                limits.limit(DataClass.PRICES), timeout, clock, executor, scheduler, metrics);
        recommended = new GuardedSource<>("recommendations", k -> backends.recommendations().recommend(k.profileId(), k.limit()),
                limits.limit(DataClass.RECOMMENDATIONS), timeout, clock, executor, scheduler, metrics);
    }

    public FeedSources asFeedSources() {
        return new FeedSources(this, this, this);
    }

    @Override
    public SourceAnswer<Optional<Object>> trait(String profileId, String trait, DataClass dataClass) {
        return traits.get(dataClass).get(new TraitKey(profileId, trait));
    }

    @Override
    public SourceAnswer<List<String>> recentlyViewed(String profileId, int limit) {
        return viewed.get(new ListKey(profileId, limit));
    }

    @Override
    public SourceAnswer<Optional<ProductOffer>> offer(String productId) {
        return offers.get(productId);
    }

    @Override
    public SourceAnswer<List<String>> recommend(String profileId, int limit) {
        return recommended.get(new ListKey(profileId, limit));
    }

    @Override
    public void close() {
        executor.shutdownNow();
        scheduler.shutdownNow();
    }
}
