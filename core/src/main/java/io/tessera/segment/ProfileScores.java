package io.tessera.segment;

import java.util.Map;

/**
 * Where conditions read a profile's model scores: {@code rfm} (r, f, m, score, group) and
 * {@code predicted} (p_alive, expected_purchases, expected_value, clv). Implemented by the RFM and
 * predictive scorers; thread-safe.
 */
public interface ProfileScores {
    Map<String, Object> rfm(String profileId);

    Map<String, Object> predicted(String profileId);

    /** No scores: {@code rfm} and {@code predicted} are empty maps. */
    static ProfileScores none() {
        return new ProfileScores() {
            @Override
            public Map<String, Object> rfm(String profileId) {
                return Map.of();
            }

            @Override
            public Map<String, Object> predicted(String profileId) {
                return Map.of();
            }
        };
    }
}
