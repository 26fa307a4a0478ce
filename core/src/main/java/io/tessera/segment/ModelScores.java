package io.tessera.segment;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest RFM and predictive scores per profile, as conditions read them. Written by the
 * scoring jobs (whole refreshes or single profiles), read by the segment engine; thread-safe.
 */
public final class ModelScores implements ProfileScores {
    private final Map<String, Map<String, Object>> rfm = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> predicted = new ConcurrentHashMap<>();

    @Override
    public Map<String, Object> rfm(String profileId) {
        return rfm.getOrDefault(profileId, Map.of());
    }

    @Override
    public Map<String, Object> predicted(String profileId) {
        return predicted.getOrDefault(profileId, Map.of());
    }

    /** Replaces one profile's RFM scores; returns whether they changed. */
    public boolean putRfm(String profileId, Map<String, Object> scores) {
        return !Map.copyOf(scores).equals(rfm.put(profileId, Map.copyOf(scores)));
    }

    /** Replaces one profile's predictive scores; returns whether they changed. */
    public boolean putPredicted(String profileId, Map<String, Object> scores) {
        return !Map.copyOf(scores).equals(predicted.put(profileId, Map.copyOf(scores)));
    }
}
