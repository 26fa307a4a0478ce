package io.tessera.quality.dedupe;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to deduplicate: field kinds (columns not named are guessed from their names), blocking keys
 * (empty: {@link BlockingKey#defaults}), the two thresholds on the match probability (at or above
 * {@code autoMerge}: merge; from {@code review} up to it: review queue), the largest block compared,
 * EM iterations, the seed of the random pairs that estimate u, and an optional configured model
 * that replaces estimation.
 */
public record DedupeSettings(
        Map<String, FieldKind> kinds,
        List<BlockingKey> blockingKeys,
        double autoMerge,
        double review,
        int maxBlock,
        int emIterations,
        long seed,
        Optional<FellegiSunterModel> model) {

    public DedupeSettings {
        kinds = Map.copyOf(kinds);
        blockingKeys = List.copyOf(blockingKeys);
        if (!(review > 0 && review <= autoMerge && autoMerge <= 1)) {
            throw new IllegalArgumentException("need 0 < review <= autoMerge <= 1, got review " + review + ", autoMerge " + autoMerge);
        }
        if (maxBlock < 2 || emIterations < 0) {
            throw new IllegalArgumentException("maxBlock must be at least 2 and emIterations not negative");
        }
    }

    /** Guessed kinds, default keys, auto-merge at 0.9, review from 0.5, blocks up to 500 records. */
    public static DedupeSettings defaults() {
        return new DedupeSettings(Map.of(), List.of(), 0.9, 0.5, 500, 40, 42L, Optional.empty());
    }

    public DedupeSettings withKinds(Map<String, FieldKind> k) {
        return new DedupeSettings(k, blockingKeys, autoMerge, review, maxBlock, emIterations, seed, model);
    }

    public DedupeSettings withThresholds(double merge, double rev) {
        return new DedupeSettings(kinds, blockingKeys, merge, rev, maxBlock, emIterations, seed, model);
    }

    public DedupeSettings withBlockingKeys(List<BlockingKey> keys) {
        return new DedupeSettings(kinds, keys, autoMerge, review, maxBlock, emIterations, seed, model);
    }

    public DedupeSettings withModel(FellegiSunterModel configured) {
        return new DedupeSettings(kinds, blockingKeys, autoMerge, review, maxBlock, emIterations, seed, Optional.of(configured));
    }
}
