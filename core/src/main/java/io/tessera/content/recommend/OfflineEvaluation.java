package io.tessera.content.recommend;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Time-split offline evaluation: train on interactions before {@code cutoff}; for each user with
 * history before it and at least one item first bought after it, recommend {@code k} items and
 * score against those new purchases. Hit rate@k = share of users with at least one hit;
 * NDCG@k with binary relevance. The popularity baseline is scored the same way (same exclusions).
 */
public final class OfflineEvaluation {

    /** Figures of one run. */
    public record Figures(int users, double hitRate, double ndcg, double popularHitRate, double popularNdcg) {
        public double hitRateLift() {
            return popularHitRate == 0 ? Double.NaN : hitRate / popularHitRate - 1;
        }

        public double ndcgLift() {
            return popularNdcg == 0 ? Double.NaN : ndcg / popularNdcg - 1;
        }
    }

    private OfflineEvaluation() {}

    public static Figures run(List<Interaction> all, Instant cutoff, Duration halfLife, int k, Catalog catalog) {
        List<Interaction> train = new ArrayList<>();
        Map<String, List<Interaction>> history = new HashMap<>();
        Map<String, Set<String>> later = new HashMap<>();
        for (Interaction x : all) {
            if (x.at().isBefore(cutoff)) {
                train.add(x);
                history.computeIfAbsent(x.user(), u -> new ArrayList<>()).add(x);
            }
        }
        Map<String, Set<String>> boughtBefore = new HashMap<>();
        for (Interaction x : train) {
            if (x.kind() == Interaction.Kind.PURCHASE) {
                boughtBefore.computeIfAbsent(x.user(), u -> new HashSet<>()).add(x.item());
            }
        }
        for (Interaction x : all) {
            if (!x.at().isBefore(cutoff) && x.kind() == Interaction.Kind.PURCHASE && history.containsKey(x.user())) {
                if (!boughtBefore.getOrDefault(x.user(), Set.of()).contains(x.item())) {
                    later.computeIfAbsent(x.user(), u -> new LinkedHashSet<>()).add(x.item());
                }
            }
        }
        CoOccurrenceModel model = CoOccurrenceModel.train(train, cutoff, halfLife, catalog);
        int users = 0;
        double hits = 0;
        double ndcg = 0;
        double popHits = 0;
        double popNdcg = 0;
        for (Map.Entry<String, Set<String>> e : later.entrySet()) {
            users++;
            List<Interaction> h = history.get(e.getKey());
            List<String> recs = model.recommend(h, cutoff, k, catalog).stream().map(CoOccurrenceModel.Recommendation::item).toList();
            Set<String> bought = boughtBefore.getOrDefault(e.getKey(), Set.of());
            List<String> pop = model.popular(bought, k, catalog);
            hits += hit(recs, e.getValue());
            ndcg += ndcg(recs, e.getValue(), k);
            popHits += hit(pop, e.getValue());
            popNdcg += ndcg(pop, e.getValue(), k);
        }
        return new Figures(users, hits / users, ndcg / users, popHits / users, popNdcg / users);
    }

    private static double hit(List<String> recs, Set<String> relevant) {
        return recs.stream().anyMatch(relevant::contains) ? 1 : 0;
    }

    private static double ndcg(List<String> recs, Set<String> relevant, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, recs.size()); i++) {
            if (relevant.contains(recs.get(i))) {
                dcg += 1 / (Math.log(i + 2) / Math.log(2));
            }
        }
        double idcg = 0;
        for (int i = 0; i < Math.min(k, relevant.size()); i++) {
            idcg += 1 / (Math.log(i + 2) / Math.log(2));
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }
}
