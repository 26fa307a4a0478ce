package io.tessera.quality.dedupe;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a run: every pair at or above the review threshold (highest score first), the
 * model used, the field kinds and blocking keys actually applied, and counts that explain the
 * cost: candidate pairs compared, oversized blocks skipped.
 */
public record DedupeResult(
        List<MatchPair> pairs,
        FellegiSunterModel model,
        Map<String, FieldKind> kinds,
        List<BlockingKey> blockingKeys,
        long candidatePairs,
        int skippedBlocks) {

    public DedupeResult {
        pairs = List.copyOf(pairs);
        kinds = Map.copyOf(kinds);
        blockingKeys = List.copyOf(blockingKeys);
    }

    public List<MatchPair> autoMerge() {
        return pairs.stream().filter(p -> p.decision() == MatchPair.Decision.AUTO_MERGE).toList();
    }

    public List<MatchPair> review() {
        return pairs.stream().filter(p -> p.decision() == MatchPair.Decision.REVIEW).toList();
    }
}
