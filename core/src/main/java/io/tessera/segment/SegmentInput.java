package io.tessera.segment;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Everything a condition can read about one profile at one instant. Both evaluators (the
 * incremental {@link ProfileWindows} and the brute-force {@link HistoryEvaluator}) produce one;
 * the same compiled program runs over either, so they can only disagree on the facts.
 *
 * @param aggregates the value of an aggregate: Long for COUNT, Double for SUM, Instant for
 *                   FIRST/LAST ({@link Instant#EPOCH} when the event never happened)
 * @param member     whether the profile is currently in another segment (by key)
 */
public record SegmentInput(
        String profileId,
        Map<String, Object> traits,
        Map<String, List<String>> identities,
        Map<String, Object> rfm,
        Map<String, Object> predicted,
        Function<Aggregate, Object> aggregates,
        Predicate<String> member,
        Instant now) {

    public SegmentInput {
        Objects.requireNonNull(profileId, "profileId");
        traits = Map.copyOf(traits);
        identities = Map.copyOf(identities);
        rfm = Map.copyOf(rfm);
        predicted = Map.copyOf(predicted);
        Objects.requireNonNull(aggregates, "aggregates");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(now, "now");
    }

    Map<String, Object> variables() {
        return Map.of("traits", traits, "identities", identities, "rfm", rfm, "predicted", predicted);
    }
}
