package io.tessera.quality.dedupe;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Precision, recall and F1 of predicted duplicate pairs against labelled truth, where the truth
 * says which entity each record id belongs to (for FEBRL, the number in {@code rec-223-dup-0}).
 * True pairs are all pairs within one entity, including those blocking never proposed.
 */
public record LinkageQuality(long predicted, long truePositives, long truePairs) {

    public static LinkageQuality of(Collection<MatchPair> predicted, Collection<String> allIds, Function<String, String> entityOf) {
        Map<String, Long> perEntity = new HashMap<>();
        for (String id : allIds) {
            perEntity.merge(entityOf.apply(id), 1L, Long::sum);
        }
        long truePairs = perEntity.values().stream().mapToLong(n -> n * (n - 1) / 2).sum();
        long tp = predicted.stream().filter(p -> entityOf.apply(p.idA()).equals(entityOf.apply(p.idB()))).count();
        return new LinkageQuality(predicted.size(), tp, truePairs);
    }

    /** FEBRL's truth: {@code rec-223-org} and {@code rec-223-dup-1} are entity "223". */
    public static String febrlEntity(String recId) {
        String[] parts = recId.strip().split("-");
        return parts.length >= 2 ? parts[1] : recId;
    }

    public double precision() {
        return predicted == 0 ? 1.0 : (double) truePositives / predicted;
    }

    public double recall() {
        return truePairs == 0 ? 1.0 : (double) truePositives / truePairs;
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "precision %.4f recall %.4f F1 %.4f (%d predicted, %d true positives, %d true pairs)",
                precision(), recall(), f1(), predicted, truePositives, truePairs);
    }
}
