package io.tessera.segment.predict;

import java.util.Map;

/**
 * Scores one customer with fitted BG/NBD and Gamma-Gamma models: P(alive), expected purchases and
 * expected order value over a horizon, and CLV = expected purchases × expected order value over
 * that horizon (undiscounted; a horizon of a year gives the customer's one-year value). The map
 * is what conditions read as {@code predicted.*}. Immutable.
 */
public record PredictiveScorer(BgNbd purchases, GammaGamma spend, double horizon) {

    public Map<String, Object> score(CustomerSummary c) {
        double pAlive = purchases.probabilityAlive(c.frequency(), c.recency(), c.age());
        double expected = purchases.expectedPurchases(horizon, c.frequency(), c.recency(), c.age());
        double value = spend.expectedAverageValue(c.frequency(), c.monetary());
        return Map.of("p_alive", pAlive, "expected_purchases", expected, "expected_value", value, "clv", expected * value);
    }
}
