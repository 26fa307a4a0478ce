package io.tessera.quality.dedupe;

/**
 * Two records judged the same entity with probability {@code score}; {@code rowA < rowB}.
 * {@code decision} says whether the score clears the auto-merge threshold or only the review one.
 */
public record MatchPair(String idA, String idB, int rowA, int rowB, double score, Decision decision) {

    public enum Decision { AUTO_MERGE, REVIEW }
}
