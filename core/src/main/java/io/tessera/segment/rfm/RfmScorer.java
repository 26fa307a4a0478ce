package io.tessera.segment.rfm;

import io.tessera.profile.EventAggregate;
import io.tessera.profile.Profile;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scores customers 1–5 on recency, frequency and monetary value by population quintiles. A
 * customer's score on a dimension is 1 + ⌊5 · (number of customers strictly worse) / n⌋, so equal
 * values always get equal scores. Purchases are the configured events (e.g. "Order Completed")
 * and their value the configured property (e.g. "revenue"), read from the profile's aggregates.
 * Immutable; a refresh scores the whole population at once.
 */
public final class RfmScorer {
    private final Set<String> purchaseEvents;
    private final String valueProperty;

    public RfmScorer(Set<String> purchaseEvents, String valueProperty) {
        this.purchaseEvents = Set.copyOf(purchaseEvents);
        this.valueProperty = valueProperty;
    }

    /** The profile's purchase facts, if it ever purchased. */
    public Optional<RfmInput> input(Profile p) {
        Instant last = null;
        long count = 0;
        double spend = 0;
        for (String name : purchaseEvents) {
            EventAggregate a = p.events().get(name);
            if (a == null || a.count() == 0) {
                continue;
            }
            last = last == null || a.last().isAfter(last) ? a.last() : last;
            count += a.count();
            spend += a.sums().getOrDefault(valueProperty, 0.0);
        }
        return last == null ? Optional.empty() : Optional.of(new RfmInput(p.id(), last, count, spend));
    }

    /** Scores a population. */
    public Map<String, RfmScore> score(Collection<RfmInput> population) {
        Population p = population(population);
        Map<String, RfmScore> out = new HashMap<>();
        for (RfmInput i : population) {
            out.put(i.profileId(), p.score(i));
        }
        return out;
    }

    /** The population's sorted values, to score one customer against between refreshes. */
    public Population population(Collection<RfmInput> population) {
        List<RfmInput> all = List.copyOf(population);
        return new Population(all.stream().mapToDouble(i -> i.lastPurchase().toEpochMilli()).sorted().toArray(),
                all.stream().mapToDouble(RfmInput::purchases).sorted().toArray(),
                all.stream().mapToDouble(RfmInput::spend).sorted().toArray());
    }

    /**
     * A scored population's distributions. Scoring a customer whose facts changed since (a new
     * order) against it places them among the others as of the last refresh: exact for them, and
     * the others move only at the next refresh. Immutable.
     */
    public static final class Population {
        private final double[] recency;
        private final double[] frequency;
        private final double[] monetary;

        private Population(double[] recency, double[] frequency, double[] monetary) {
            this.recency = recency;
            this.frequency = frequency;
            this.monetary = monetary;
        }

        public static Population empty() {
            return new Population(new double[0], new double[0], new double[0]);
        }

        public int size() {
            return recency.length;
        }

        public RfmScore score(RfmInput i) {
            int r = quintile(recency, i.lastPurchase().toEpochMilli());
            int f = quintile(frequency, i.purchases());
            int m = quintile(monetary, i.spend());
            return new RfmScore(r, f, m, RfmGroup.of(r, f));
        }
    }

    static int quintile(double[] sorted, double value) {
        if (sorted.length == 0) {
            return 3;
        }
        int below = lowerBound(sorted, value);
        return 1 + Math.min(4, (int) (5L * below / sorted.length));
    }

    private static int lowerBound(double[] a, double v) {
        int i = Arrays.binarySearch(a, v);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && a[i - 1] == v) {
            i--;
        }
        return i;
    }
}
