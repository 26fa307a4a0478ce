package io.tessera.opentime;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Plain in-memory sources for the core's specifications; each answer stamped with {@code asOf}. */
final class FixedSources implements ProfileFacts, ProductCatalog, Recommendations {
    final Map<String, Map<String, Object>> traits = new HashMap<>();
    final Map<String, List<String>> viewed = new HashMap<>();
    final Map<String, ProductOffer> offers = new HashMap<>();
    final Map<String, List<String>> recommended = new HashMap<>();
    final Set<String> down = new HashSet<>();
    final Map<String, Instant> asOf = new HashMap<>();
    Instant now;

    FixedSources(Instant now) {
        this.now = now;
    }

    FeedSources sources() {
        return new FeedSources(this, this, this);
    }

    @Override
    public SourceAnswer<Optional<Object>> trait(String profileId, String trait, DataClass dataClass) {
        return answer("profiles", Optional.ofNullable(traits.getOrDefault(profileId, Map.of()).get(trait)));
    }

    @Override
    public SourceAnswer<List<String>> recentlyViewed(String profileId, int limit) {
        return answer("profiles", viewed.getOrDefault(profileId, List.of()).stream().limit(limit).toList());
    }

    @Override
    public SourceAnswer<Optional<ProductOffer>> offer(String productId) {
        return answer("catalog", Optional.ofNullable(offers.get(productId)));
    }

    @Override
    public SourceAnswer<List<String>> recommend(String profileId, int limit) {
        return answer("recommendations", recommended.getOrDefault(profileId, List.of()).stream().limit(limit).toList());
    }

    private <T> SourceAnswer<T> answer(String source, T value) {
        return down.contains(source) ? SourceAnswer.unavailable("down") : SourceAnswer.of(value, asOf.getOrDefault(source, now));
    }
}
