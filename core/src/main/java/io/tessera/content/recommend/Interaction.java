package io.tessera.content.recommend;

import java.time.Instant;

/** One user–item interaction ("Product Viewed" → VIEW, "Order Completed" line → PURCHASE). */
public record Interaction(String user, String item, Kind kind, Instant at) {
    public enum Kind { VIEW, PURCHASE }
}
