package io.tessera.opentime;

/**
 * How fast a kind of data goes out of date; each class has its own staleness limit
 * ({@link StalenessLimits}). A feed field names its class so the cache in front of its source
 * knows how long an answer may be served.
 */
public enum DataClass {
    /** Slow-moving profile traits (first name, city). */
    PROFILE,
    /** What the customer looked at recently (last viewed products). */
    BROWSING,
    /** Prices and stock from the product catalog. */
    PRICES,
    /** Loyalty points and tier. */
    LOYALTY,
    /** Recommended products for a profile. */
    RECOMMENDATIONS,
    /** Computed from the clock at open time (countdowns); never cached. */
    CLOCK
}
