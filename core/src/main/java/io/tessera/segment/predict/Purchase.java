package io.tessera.segment.predict;

import java.time.Instant;

/** One purchase event of a customer: when, and its value. */
public record Purchase(String customerId, Instant at, double value) {}
