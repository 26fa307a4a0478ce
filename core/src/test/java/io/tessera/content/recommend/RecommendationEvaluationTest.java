package io.tessera.content.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The recommendations evaluation on the UCI Online Retail purchases (read in place): train before
 * 2011-09-01, score each returning customer's first-time purchases after it. Purchases only (the
 * data set has no views), so "viewed this, bought that" is exercised as "bought this, bought that".
 * Figures go to docs/BENCHMARKS.md via bench/recommend.sh.
 */
class RecommendationEvaluationTest {

    static final Instant CUTOFF = Instant.parse("2011-09-01T00:00:00Z");
    static final Duration HALF_LIFE = Duration.ofDays(90);

    @Test
    void coOccurrenceBeatsPopularityByAtLeastThirtyPercentOnHitRateAt10() throws IOException {
        List<Interaction> all = load();
        OfflineEvaluation.Figures f = OfflineEvaluation.run(all, CUTOFF, HALF_LIFE, 10, Catalog.OPEN);
        System.out.printf("recommend: users=%d HR@10=%.4f NDCG@10=%.4f | popularity HR@10=%.4f NDCG@10=%.4f | lift HR %+.1f%% NDCG %+.1f%%%n",
                f.users(), f.hitRate(), f.ndcg(), f.popularHitRate(), f.popularNdcg(), f.hitRateLift() * 100, f.ndcgLift() * 100);
        assertThat(f.users()).isGreaterThan(1000);
        assertThat(f.hitRateLift()).isGreaterThanOrEqualTo(0.30);
    }

    @Test
    void exclusionsAndFallbacksHold() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<Interaction> xs = List.of(
                new Interaction("u1", "a", Interaction.Kind.PURCHASE, t), new Interaction("u1", "b", Interaction.Kind.PURCHASE, t),
                new Interaction("u2", "a", Interaction.Kind.PURCHASE, t), new Interaction("u2", "b", Interaction.Kind.PURCHASE, t),
                new Interaction("u3", "a", Interaction.Kind.VIEW, t), new Interaction("u3", "c", Interaction.Kind.PURCHASE, t),
                new Interaction("u4", "d", Interaction.Kind.PURCHASE, t), new Interaction("u5", "d", Interaction.Kind.PURCHASE, t),
                new Interaction("u6", "e", Interaction.Kind.PURCHASE, t));
        Catalog catalog = new Catalog() {
            public Optional<String> category(String item) {
                return Optional.of(item.equals("e") || item.equals("a") ? "mugs" : "other");
            }

            public boolean inStock(String item) {
                return !item.equals("c");
            }

            public Map<String, Object> describe(String item) {
                return Map.of("id", item, "title", item.toUpperCase());
            }
        };
        CoOccurrenceModel m = CoOccurrenceModel.train(xs, t, HALF_LIFE, catalog);
        List<CoOccurrenceModel.Recommendation> recs = m.recommend(List.of(new Interaction("new", "a", Interaction.Kind.PURCHASE, t)), t, 3, catalog);
        assertThat(recs).extracting(CoOccurrenceModel.Recommendation::item).doesNotContain("a", "c").startsWith("b");
        assertThat(recs.get(0).source()).isEqualTo(CoOccurrenceModel.Recommendation.Source.CO_OCCURRENCE);
        assertThat(recs).extracting(CoOccurrenceModel.Recommendation::item).contains("e"); // popular in "mugs"
        assertThat(CoOccurrenceModel.forTemplates(recs, catalog).get(0)).containsEntry("title", "B").containsEntry("source", "co_occurrence");
    }

    static List<Interaction> load() throws IOException {
        Path file = Path.of(System.getProperty("tessera.shared.data", "../../shared/data"), "ecommerce", "onlineretail-purchase-events.csv.gz");
        List<Interaction> out = new ArrayList<>(400_000);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",");
                out.add(new Interaction(f[0], f[1], f[2].equals("purchase") ? Interaction.Kind.PURCHASE : Interaction.Kind.VIEW, Instant.parse(f[3])));
            }
        }
        return out;
    }
}
