package io.tessera.segment.rfm;

import java.time.Instant;

/** A customer's purchase facts: last purchase time, number of purchases, total spend. */
public record RfmInput(String profileId, Instant lastPurchase, long purchases, double spend) {}
