package io.tessera.opentime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FeedResolverTest {
    static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    static final Set<ProductAttribute> SHOWN = EnumSet.of(ProductAttribute.NAME, ProductAttribute.PRICE, ProductAttribute.IMAGE);

    final FixedSources data = new FixedSources(NOW);
    final FeedResolver resolver = new FeedResolver(data.sources(), StalenessLimits.defaults(), InstantSource.fixed(NOW));

    static ProductOffer offer(String id, int stock) {
        return new ProductOffer(id, "Product " + id, new BigDecimal("19.90"), "EUR", stock,
                "https://shop.example.com/p/" + id, "https://img.example.com/" + id + ".jpg");
    }

    static FeedDeclaration declaration() {
        return new FeedDeclaration("welcome", List.of(
                FeedField.trait("firstName", "firstName", DataClass.PROFILE, "there"),
                FeedField.trait("points", "loyaltyPoints", DataClass.LOYALTY, 0),
                FeedField.lastViewed("lastViewed", SHOWN, Map.of("name", "our bestsellers")),
                FeedField.recommended("picks", 2, SHOWN, List.of(Map.of("name", "New arrivals"))),
                FeedField.countdown("saleEndsIn", NOW.plus(Duration.ofHours(2)))),
                List.of(new ImageSlot("hero", new ImageSlot.LastViewedOrSwap(), "https://img.example.com/default.jpg"),
                        new ImageSlot("timer", new ImageSlot.Countdown(NOW.plusSeconds(90)), "https://img.example.com/default.jpg")),
                Set.of("img.example.com"));
    }

    @Test
    void servesLiveValuesOfExactlyTheDeclaredFields() {
        data.traits.put("p_1", Map.of("firstName", "Ann", "loyaltyPoints", 420, "email", "ann@example.com", "secret", "x"));
        data.viewed.put("p_1", List.of("sku1"));
        data.offers.put("sku1", offer("sku1", 3));
        data.offers.put("sku2", offer("sku2", 0));
        data.offers.put("sku3", offer("sku3", 5));
        data.recommended.put("p_1", List.of("sku2", "sku3"));

        ResolvedFeed feed = resolver.resolve(declaration(), "p_1");

        assertThat(feed.values().keySet()).containsExactly("firstName", "points", "lastViewed", "picks", "saleEndsIn");
        assertThat(feed.values()).containsEntry("firstName", "Ann").containsEntry("points", 420).containsEntry("saleEndsIn", 7200L);
        assertThat(feed.values().get("lastViewed")).isEqualTo(Map.of("name", "Product sku1", "price", new BigDecimal("19.90"),
                "image", "https://img.example.com/sku1.jpg"));
        assertThat((List<?>) feed.values().get("picks")).hasSize(1);  // sku2 is sold out
        assertThat(feed.fallbacksUsed()).isEmpty();
    }

    @Test
    void servesEachDeclaredFallbackWhenItsSourceIsDown() {
        data.traits.put("p_1", Map.of("firstName", "Ann"));
        data.down.addAll(Set.of("catalog", "recommendations"));

        ResolvedFeed feed = resolver.resolve(declaration(), "p_1");

        assertThat(feed.values()).containsEntry("firstName", "Ann")
                .containsEntry("lastViewed", Map.of("name", "our bestsellers"))
                .containsEntry("picks", List.of(Map.of("name", "New arrivals")))
                .containsEntry("points", 0);
        assertThat(feed.fallbacksUsed()).containsExactly("points", "lastViewed", "picks");
    }

    @Test
    void pricesOlderThanTheirOneMinuteLimitFallBackWhileLoyaltyWithinTheHourIsServed() {
        data.traits.put("p_1", Map.of("loyaltyPoints", 7));
        data.viewed.put("p_1", List.of("sku1"));
        data.offers.put("sku1", offer("sku1", 3));
        data.asOf.put("catalog", NOW.minusSeconds(61));
        data.asOf.put("profiles", NOW.minus(Duration.ofMinutes(14)));

        ResolvedFeed feed = resolver.resolve(declaration(), "p_1");

        assertThat(feed.fallbacksUsed()).contains("lastViewed").doesNotContain("points");
        data.asOf.put("catalog", NOW.minusSeconds(60));
        assertThat(resolver.resolve(declaration(), "p_1").fallbacksUsed()).doesNotContain("lastViewed");
    }

    @Test
    void stalenessLimitsAreConfigurablePerDataClass() {
        data.traits.put("p_1", Map.of("loyaltyPoints", 7));
        data.asOf.put("profiles", NOW.minus(Duration.ofMinutes(10)));
        FeedResolver strict = new FeedResolver(data.sources(),
                StalenessLimits.defaults().with(DataClass.LOYALTY, Duration.ofMinutes(5)), InstantSource.fixed(NOW));

        assertThat(strict.resolve(declaration(), "p_1").fallbacksUsed()).contains("points");
        assertThat(resolver.resolve(declaration(), "p_1").fallbacksUsed()).doesNotContain("points");
    }

    @Test
    void nestedTraitValuesAreNeverRevealed() {
        data.traits.put("p_1", Map.of("firstName", Map.of("email", "ann@example.com")));

        assertThat(resolver.resolve(declaration(), "p_1").values()).containsEntry("firstName", "there");
    }

    @Test
    void heroImageSwapsToARecommendationWhenTheViewedProductSoldOut() {
        ImageSlot hero = declaration().image("hero").orElseThrow();
        data.viewed.put("p_1", List.of("sku1"));
        data.offers.put("sku1", offer("sku1", 0));
        data.offers.put("sku3", offer("sku3", 5));
        data.recommended.put("p_1", List.of("sku3"));

        assertThat(resolver.chooseImage(declaration(), hero, "p_1"))
                .isEqualTo(new ImageDecision.Redirect("https://img.example.com/sku3.jpg", false));
        data.offers.put("sku1", offer("sku1", 1));
        assertThat(resolver.chooseImage(declaration(), hero, "p_1"))
                .isEqualTo(new ImageDecision.Redirect("https://img.example.com/sku1.jpg", false));
    }

    @Test
    void imageNeverRedirectsToAHostTheDeclarationDoesNotList() {
        ImageSlot hero = declaration().image("hero").orElseThrow();
        data.viewed.put("p_1", List.of("evil"));
        data.offers.put("evil", new ProductOffer("evil", "x", BigDecimal.ONE, "EUR", 9, "https://shop.example.com/",
                "https://evil.example.net/x.jpg"));

        assertThat(resolver.chooseImage(declaration(), hero, "p_1"))
                .isEqualTo(new ImageDecision.Redirect("https://img.example.com/default.jpg", true));
    }

    @Test
    void countdownSlotCountsDownToZero() {
        ImageSlot timer = declaration().image("timer").orElseThrow();
        assertThat(resolver.chooseImage(declaration(), timer, "p_1")).isEqualTo(new ImageDecision.CountdownImage(Duration.ofSeconds(90)));
        FeedResolver later = new FeedResolver(data.sources(), StalenessLimits.defaults(), InstantSource.fixed(NOW.plusSeconds(600)));
        assertThat(later.chooseImage(declaration(), timer, "p_1")).isEqualTo(new ImageDecision.CountdownImage(Duration.ZERO));
    }

    @Test
    void aFallbackThatRevealsAnUndeclaredAttributeIsRejectedAtDeclaration() {
        assertThatThrownBy(() -> FeedField.lastViewed("last", EnumSet.of(ProductAttribute.NAME), Map.of("name", "x", "price", 1)))
                .hasMessageContaining("undeclared attribute price");
        assertThatThrownBy(() -> new FeedDeclaration("t", List.of(), List.of(
                new ImageSlot("hero", new ImageSlot.FirstRecommended(), "https://evil.example.net/a.png")), Set.of("img.example.com")))
                .hasMessageContaining("allowed host");
    }

    /** Random declarations over random data: every feed's keys and nested keys are within its declaration. */
    @Test
    void everyFeedRevealsOnlyWhatItsDeclarationNames() {
        long seed = Long.getLong("tessera.seed", new Random().nextLong());
        Random r = new Random(seed);
        for (int round = 0; round < 300; round++) {
            FixedSources d = randomData(r);
            FeedDeclaration decl = randomDeclaration(r);
            ResolvedFeed feed = new FeedResolver(d.sources(), StalenessLimits.defaults(), InstantSource.fixed(NOW))
                    .resolve(decl, "p_" + r.nextInt(3));
            assertThat(feed.values().keySet()).as("seed %d", seed).containsExactlyElementsOf(decl.fieldNames());
            for (FeedField f : decl.fields()) {
                Object v = feed.values().get(f.name());
                Set<String> allowed = switch (f.source()) {
                    case FieldSource.LastViewed l -> names(l.attributes());
                    case FieldSource.Recommended rec -> names(rec.attributes());
                    default -> Set.of();
                };
                List<Object> objects = v instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>(List.of(v));
                for (Object o : objects) {
                    if (o instanceof Map<?, ?> m) {
                        assertThat(m.keySet()).as("seed %d field %s", seed, f.name()).allMatch(allowed::contains);
                    } else {
                        assertThat(o).as("seed %d field %s", seed, f.name()).isInstanceOfAny(String.class, Number.class, Boolean.class);
                    }
                }
            }
        }
    }

    private static Set<String> names(Set<ProductAttribute> as) {
        return as.stream().map(ProductAttribute::jsonName).collect(Collectors.toSet());
    }

    private static FixedSources randomData(Random r) {
        FixedSources d = new FixedSources(NOW);
        for (int p = 0; p < 3; p++) {
            d.traits.put("p_" + p, Map.of("firstName", "N" + p, "email", "e" + p + "@example.com",
                    "loyaltyPoints", r.nextInt(1000), "address", Map.of("city", "Paris")));
            d.viewed.put("p_" + p, List.of("sku" + r.nextInt(5)));
            d.recommended.put("p_" + p, List.of("sku" + r.nextInt(5), "sku" + r.nextInt(5), "sku" + r.nextInt(5)));
        }
        for (int i = 0; i < 5; i++) {
            d.offers.put("sku" + i, offer("sku" + i, r.nextInt(3)));
        }
        for (String s : List.of("profiles", "catalog", "recommendations")) {
            if (r.nextInt(4) == 0) {
                d.down.add(s);
            }
            if (r.nextInt(4) == 0) {
                d.asOf.put(s, NOW.minus(Duration.ofMinutes(r.nextInt(90))));
            }
        }
        return d;
    }

    private static FeedDeclaration randomDeclaration(Random r) {
        List<FeedField> fields = new ArrayList<>();
        List<String> traits = List.of("firstName", "email", "loyaltyPoints", "address", "missing");
        for (int i = 0; i < 1 + r.nextInt(6); i++) {
            EnumSet<ProductAttribute> attrs = EnumSet.noneOf(ProductAttribute.class);
            for (ProductAttribute a : ProductAttribute.values()) {
                if (r.nextBoolean()) {
                    attrs.add(a);
                }
            }
            Map<String, Object> fallbackProduct = attrs.contains(ProductAttribute.NAME) ? Map.of("name", "fallback") : Map.of();
            fields.add(switch (r.nextInt(4)) {
                case 0 -> FeedField.trait("f" + i, traits.get(r.nextInt(traits.size())),
                        r.nextBoolean() ? DataClass.PROFILE : DataClass.LOYALTY, "fb");
                case 1 -> FeedField.lastViewed("f" + i, attrs, fallbackProduct);
                case 2 -> FeedField.recommended("f" + i, 1 + r.nextInt(4), attrs, List.of(fallbackProduct));
                default -> FeedField.countdown("f" + i, NOW.plusSeconds(r.nextInt(10_000) - 5_000));
            });
        }
        return new FeedDeclaration("t", fields, List.of(), Set.of());
    }
}
