package io.tessera.testkit;

import io.tessera.opentime.DataClass;
import io.tessera.opentime.ProductCatalog;
import io.tessera.opentime.ProductOffer;
import io.tessera.opentime.ProfileFacts;
import io.tessera.opentime.Recommendations;
import io.tessera.opentime.SourceAnswer;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open-time data sources held in memory, for tests and the demo: traits, viewed products,
 * offers and recommendations set by hand; each answer is stamped with the clock's time (or a
 * fixed "as of" to simulate stale data). A source can be switched off (it answers unavailable), or
 * slowed down to simulate a slow backend. Thread-safe (concurrent maps, volatile switches).
 */
public final class InMemoryFeedSources implements ProfileFacts, ProductCatalog, Recommendations {
    private final InstantSource clock;
    private final Map<String, Map<String, Object>> traits = new ConcurrentHashMap<>();
    private final Map<String, List<String>> viewed = new ConcurrentHashMap<>();
    private final Map<String, ProductOffer> offers = new ConcurrentHashMap<>();
    private final Map<String, List<String>> recommended = new ConcurrentHashMap<>();
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private volatile Optional<Instant> asOf = Optional.empty();
    private volatile long delayMillis;

    public InMemoryFeedSources(InstantSource clock) {
        this.clock = clock;
    }

    public InMemoryFeedSources trait(String profileId, String name, Object value) {
        traits.computeIfAbsent(profileId, k -> new ConcurrentHashMap<>()).put(name, value);
        return this;
    }

    public InMemoryFeedSources viewed(String profileId, String... productIds) {
        viewed.put(profileId, List.of(productIds));
        return this;
    }

    public InMemoryFeedSources offer(ProductOffer offer) {
        offers.put(offer.id(), offer);
        return this;
    }

    public InMemoryFeedSources recommend(String profileId, String... productIds) {
        recommended.put(profileId, List.of(productIds));
        return this;
    }

    /** Marks a source ("profiles", "catalog", "recommendations") as down or up. */
    public void setDown(String source, boolean isDown) {
        if (isDown) {
            down.add(source);
        } else {
            down.remove(source);
        }
    }

    /** Stamps every answer with this time instead of the clock's (simulates an old replica). */
    public void answerAsOf(Optional<Instant> at) {
        asOf = at;
    }

    /** Makes every call take this long (simulates a slow backend; for adapters with time limits). */
    public void delay(long millis) {
        delayMillis = millis;
    }

    public int calls(String source) {
        return calls.getOrDefault(source, new AtomicInteger()).get();
    }

    @Override
    public SourceAnswer<Optional<Object>> trait(String profileId, String trait, DataClass dataClass) {
        return answer("profiles", () -> Optional.ofNullable(traits.getOrDefault(profileId, Map.of()).get(trait)));
    }

    @Override
    public SourceAnswer<List<String>> recentlyViewed(String profileId, int limit) {
        return answer("profiles", () -> viewed.getOrDefault(profileId, List.of()).stream().limit(limit).toList());
    }

    @Override
    public SourceAnswer<Optional<ProductOffer>> offer(String productId) {
        return answer("catalog", () -> Optional.ofNullable(offers.get(productId)));
    }

    @Override
    public SourceAnswer<List<String>> recommend(String profileId, int limit) {
        return answer("recommendations", () -> recommended.getOrDefault(profileId, List.of()).stream().limit(limit).toList());
    }

    private <T> SourceAnswer<T> answer(String source, java.util.function.Supplier<T> value) {
        calls.computeIfAbsent(source, k -> new AtomicInteger()).incrementAndGet();
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return SourceAnswer.unavailable("interrupted");
            }
        }
        if (down.contains(source)) {
            return SourceAnswer.unavailable(source + " is down");
        }
        return SourceAnswer.of(value.get(), asOf.orElseGet(clock::instant));
    }
}
