package io.tessera.content.recommend;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Item-to-item recommendations from co-occurrence ("viewed this, bought that"), time-decayed,
 * with popular-in-category and popular-overall fallbacks and exclusions (already bought, out of
 * stock). Immutable once {@link #train trained}; thread-safe.
 *
 * <p>Implementation notes: for each user the most recent {@value #HISTORY_CAP} distinct items
 * (by last interaction) form pairs; a pair's weight is the product of both interactions' decay
 * {@code 2^(-age/halfLife)} at training time, with a purchase following a view weighted
 * {@value #VIEW_TO_BUY} (the "viewed this, bought that" signal). Similarity is the decayed
 * co-occurrence normalised by {@code sqrt(pop(i) * pop(j))} (cosine on decayed counts), keeping the
 * {@value #NEIGHBOURS} best neighbours per item. A user's score for item j sums, over the items i in
 * their history, {@code decay(i) * sim(i, j)}. Popularity is decayed too, so last season's
 * bestseller fades. The cap keeps training at O(users × cap²).
 */
public final class CoOccurrenceModel {

    static final int HISTORY_CAP = 60;
    static final int NEIGHBOURS = 100;
    static final double VIEW_TO_BUY = 1.5;

    private final Map<String, List<Neighbour>> neighbours;
    private final List<String> popular;
    private final Map<String, List<String>> popularByCategory;
    private final Duration halfLife;

    private record Neighbour(String item, double sim) {}

    /** A recommended item and why. */
    public record Recommendation(String item, double score, Source source) {
        public enum Source { CO_OCCURRENCE, POPULAR_IN_CATEGORY, POPULAR }
    }

    private CoOccurrenceModel(Map<String, List<Neighbour>> neighbours, List<String> popular,
                              Map<String, List<String>> popularByCategory, Duration halfLife) {
        this.neighbours = neighbours;
        this.popular = popular;
        this.popularByCategory = popularByCategory;
        this.halfLife = halfLife;
    }

    public static CoOccurrenceModel train(List<Interaction> interactions, Instant asOf, Duration halfLife, Catalog catalog) {
        Map<String, Map<String, Interaction>> byUser = new HashMap<>();
        Map<String, Double> pop = new HashMap<>();
        for (Interaction x : interactions) {
            if (x.at().isAfter(asOf)) {
                continue;
            }
            Map<String, Interaction> items = byUser.computeIfAbsent(x.user(), u -> new HashMap<>());
            Interaction prev = items.get(x.item());
            if (prev == null || x.at().isAfter(prev.at()) || (x.kind() == Interaction.Kind.PURCHASE && prev.kind() == Interaction.Kind.VIEW)) {
                items.put(x.item(), x);
            }
            pop.merge(x.item(), decay(x.at(), asOf, halfLife), Double::sum);
        }
        Map<String, Map<String, Double>> co = new HashMap<>();
        for (Map<String, Interaction> items : byUser.values()) {
            List<Interaction> recent = new ArrayList<>(items.values());
            recent.sort(Comparator.comparing(Interaction::at).reversed());
            if (recent.size() > HISTORY_CAP) {
                recent = recent.subList(0, HISTORY_CAP);
            }
            for (int a = 0; a < recent.size(); a++) {
                Interaction ia = recent.get(a);
                double da = decay(ia.at(), asOf, halfLife);
                for (int b = a + 1; b < recent.size(); b++) {
                    Interaction ib = recent.get(b);
                    double w = da * decay(ib.at(), asOf, halfLife);
                    double ab = w * (ia.kind() == Interaction.Kind.PURCHASE && ib.kind() == Interaction.Kind.VIEW ? VIEW_TO_BUY : 1);
                    double ba = w * (ib.kind() == Interaction.Kind.PURCHASE && ia.kind() == Interaction.Kind.VIEW ? VIEW_TO_BUY : 1);
                    co.computeIfAbsent(ib.item(), k -> new HashMap<>()).merge(ia.item(), ab, Double::sum);
                    co.computeIfAbsent(ia.item(), k -> new HashMap<>()).merge(ib.item(), ba, Double::sum);
                }
            }
        }
        Map<String, List<Neighbour>> nb = new HashMap<>();
        co.forEach((i, row) -> {
            double pi = pop.getOrDefault(i, 1e-9);
            List<Neighbour> list = new ArrayList<>(row.size());
            row.forEach((j, c) -> list.add(new Neighbour(j, c / Math.sqrt(pi * pop.getOrDefault(j, 1e-9)))));
            list.sort(Comparator.comparingDouble(Neighbour::sim).reversed());
            nb.put(i, List.copyOf(list.subList(0, Math.min(NEIGHBOURS, list.size()))));
        });
        List<String> popular = pop.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).map(Map.Entry::getKey).toList();
        Map<String, List<String>> byCat = new HashMap<>();
        for (String item : popular) {
            catalog.category(item).ifPresent(c -> byCat.computeIfAbsent(c, k -> new ArrayList<>()).add(item));
        }
        byCat.replaceAll((k, v) -> List.copyOf(v));
        return new CoOccurrenceModel(nb, popular, byCat, halfLife);
    }

    /**
     * Up to {@code n} items for a user with this history: co-occurrence first, then popular in the
     * categories of their history, then popular overall; never an item they bought, never out of stock.
     */
    public List<Recommendation> recommend(List<Interaction> history, Instant now, int n, Catalog catalog) {
        Set<String> bought = new HashSet<>();
        Map<String, Double> categoryWeight = new HashMap<>();
        Map<String, Double> scores = new HashMap<>();
        for (Interaction x : history) {
            if (x.kind() == Interaction.Kind.PURCHASE) {
                bought.add(x.item());
            }
        }
        for (Interaction x : history) {
            double d = decay(x.at(), now, halfLife);
            catalog.category(x.item()).ifPresent(c -> categoryWeight.merge(c, d, Double::sum));
            for (Neighbour nbr : neighbours.getOrDefault(x.item(), List.of())) {
                scores.merge(nbr.item(), d * nbr.sim(), Double::sum);
            }
        }
        LinkedHashMap<String, Recommendation> out = new LinkedHashMap<>();
        scores.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .filter(e -> !bought.contains(e.getKey()) && catalog.inStock(e.getKey()))
                .limit(n)
                .forEach(e -> out.put(e.getKey(), new Recommendation(e.getKey(), e.getValue(), Recommendation.Source.CO_OCCURRENCE)));
        categoryWeight.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(c -> fill(out, popularByCategory.getOrDefault(c.getKey(), List.of()), bought, catalog, n,
                        Recommendation.Source.POPULAR_IN_CATEGORY));
        fill(out, popular, bought, catalog, n, Recommendation.Source.POPULAR);
        return List.copyOf(out.values());
    }

    /** The popularity baseline: most (decayed) popular items the user has not bought. */
    public List<String> popular(Set<String> exclude, int n, Catalog catalog) {
        List<String> out = new ArrayList<>(n);
        for (String item : popular) {
            if (out.size() >= n) {
                break;
            }
            if (!exclude.contains(item) && catalog.inStock(item)) {
                out.add(item);
            }
        }
        return out;
    }

    /** The recommendations as template values (catalog fields plus {@code score} and {@code source}). */
    public static List<Map<String, Object>> forTemplates(List<Recommendation> recs, Catalog catalog) {
        List<Map<String, Object>> out = new ArrayList<>(recs.size());
        for (Recommendation r : recs) {
            Map<String, Object> m = new LinkedHashMap<>(catalog.describe(r.item()));
            m.putIfAbsent("id", r.item());
            m.put("source", r.source().name().toLowerCase(java.util.Locale.ROOT));
            out.add(m);
        }
        return out;
    }

    public Optional<Integer> neighbourCount(String item) {
        return Optional.ofNullable(neighbours.get(item)).map(List::size);
    }

    private static void fill(Map<String, Recommendation> out, List<String> ranked, Set<String> bought, Catalog catalog,
                             int n, Recommendation.Source source) {
        int rank = 0;
        for (String item : ranked) {
            if (out.size() >= n) {
                return;
            }
            rank++;
            if (!out.containsKey(item) && !bought.contains(item) && catalog.inStock(item)) {
                out.put(item, new Recommendation(item, 1.0 / rank, source));
            }
        }
    }

    private static double decay(Instant at, Instant now, Duration halfLife) {
        double ageDays = Math.max(0, Duration.between(at, now).toSeconds()) / 86400.0;
        return Math.pow(0.5, ageDays / (halfLife.toSeconds() / 86400.0));
    }
}
