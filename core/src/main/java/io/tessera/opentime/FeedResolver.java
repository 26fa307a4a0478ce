package io.tessera.opentime;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the live feed and chooses live images for one (profile, message) from the template's
 * {@link FeedDeclaration} and nothing else: it walks the declared fields, asks each field's
 * source for exactly that item, and copies only declared attributes into the answer.
 *
 * <p>A value is served only if its source answered and the answer is no older than the staleness
 * limit of its data class; otherwise the field's declared fallback is served and the field is
 * named in {@link ResolvedFeed#fallbacksUsed()}. Deadlines, caching and circuit breaking are the
 * sources' business (the server wraps them); this class never blocks on its own.
 * Thread-safe and stateless apart from its collaborators.
 */
public final class FeedResolver {
    private static final int CANDIDATES_PER_SLOT = 5;

    private final FeedSources sources;
    private final StalenessLimits limits;
    private final InstantSource clock;

    public FeedResolver(FeedSources sources, StalenessLimits limits, InstantSource clock) {
        this.sources = sources;
        this.limits = limits;
        this.clock = clock;
    }

    public ResolvedFeed resolve(FeedDeclaration declaration, String profileId) {
        Instant now = clock.instant();
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> fallbacks = new ArrayList<>();
        for (FeedField field : declaration.fields()) {
            Optional<Object> live = live(field, profileId, now);
            if (live.isPresent()) {
                values.put(field.name(), live.get());
            } else {
                values.put(field.name(), field.fallback());
                fallbacks.add(field.name());
            }
        }
        return new ResolvedFeed(values, fallbacks, now);
    }

    /** Resolves the feed of each recipient so that caching sources hold fresh answers before a send. */
    public void prefetch(FeedDeclaration declaration, Iterable<String> profileIds) {
        for (String id : profileIds) {
            resolve(declaration, id);
        }
    }

    public ImageDecision chooseImage(FeedDeclaration declaration, ImageSlot slot, String profileId) {
        Instant now = clock.instant();
        if (slot.choice() instanceof ImageSlot.Countdown c) {
            Duration left = Duration.between(now, c.until());
            return new ImageDecision.CountdownImage(left.isNegative() ? Duration.ZERO : left);
        }
        Optional<String> live = switch (slot.choice()) {
            case ImageSlot.Countdown c -> throw new AssertionError("handled above");
            case ImageSlot.FirstRecommended r -> firstRecommendedImage(declaration, profileId, now);
            case ImageSlot.LastViewedOrSwap s -> lastViewed(profileId, now)
                    .filter(ProductOffer::inStock)
                    .map(ProductOffer::image)
                    .filter(url -> ImageUrls.allowed(url, declaration.imageHosts()))
                    .or(() -> firstRecommendedImage(declaration, profileId, now));
        };
        return live.<ImageDecision>map(url -> new ImageDecision.Redirect(url, false))
                .orElseGet(() -> new ImageDecision.Redirect(slot.fallbackUrl(), true));
    }

    private Optional<Object> live(FeedField field, String profileId, Instant now) {
        return switch (field.source()) {
            case FieldSource.Trait t -> fresh(sources.profiles().trait(profileId, t.trait(), field.dataClass()),
                    field.dataClass(), now)
                    .flatMap(v -> v)
                    .filter(FeedResolver::isScalar);
            case FieldSource.Countdown c -> {
                Duration left = Duration.between(now, c.until());
                yield Optional.of(left.isNegative() ? 0L : left.getSeconds());
            }
            case FieldSource.LastViewed l -> lastViewed(profileId, now).map(o -> project(o, l.attributes()));
            case FieldSource.Recommended r -> {
                List<Map<String, Object>> products = recommendedInStock(profileId, r.count(), now).stream()
                        .map(o -> project(o, r.attributes())).toList();
                yield products.isEmpty() ? Optional.empty() : Optional.of(products);
            }
        };
    }

    private Optional<ProductOffer> lastViewed(String profileId, Instant now) {
        return fresh(sources.profiles().recentlyViewed(profileId, 1), DataClass.BROWSING, now)
                .flatMap(ids -> ids.stream().findFirst())
                .flatMap(id -> offer(id, now));
    }

    private Optional<String> firstRecommendedImage(FeedDeclaration declaration, String profileId, Instant now) {
        return recommendedInStock(profileId, CANDIDATES_PER_SLOT, now).stream()
                .map(ProductOffer::image)
                .filter(url -> ImageUrls.allowed(url, declaration.imageHosts()))
                .findFirst();
    }

    private List<ProductOffer> recommendedInStock(String profileId, int count, Instant now) {
        List<String> ids = fresh(sources.recommendations().recommend(profileId, count * 2), DataClass.RECOMMENDATIONS, now)
                .orElse(List.of());
        List<ProductOffer> out = new ArrayList<>(count);
        for (String id : ids) {
            if (out.size() == count) {
                break;
            }
            offer(id, now).filter(ProductOffer::inStock).ifPresent(out::add);
        }
        return out;
    }

    private Optional<ProductOffer> offer(String productId, Instant now) {
        return fresh(sources.catalog().offer(productId), DataClass.PRICES, now).flatMap(o -> o);
    }

    private <T> Optional<T> fresh(SourceAnswer<T> answer, DataClass dataClass, Instant now) {
        if (answer instanceof SourceAnswer.Fresh<T> f
                && !Duration.between(f.asOf(), now).minus(limits.limit(dataClass)).isPositive()) {
            return Optional.of(f.value());
        }
        return Optional.empty();
    }

    private static Map<String, Object> project(ProductOffer offer, Set<ProductAttribute> attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ProductAttribute a : ProductAttribute.values()) {
            if (attributes.contains(a)) {
                out.put(a.jsonName(), a.valueOf(offer));
            }
        }
        return out;
    }

    private static boolean isScalar(Object v) {
        return v instanceof String || v instanceof Number || v instanceof Boolean;
    }
}
