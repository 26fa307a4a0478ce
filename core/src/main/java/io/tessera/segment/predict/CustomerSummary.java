package io.tessera.segment.predict;

/**
 * One customer's purchase history reduced to what BG/NBD and Gamma-Gamma need, in model time
 * units (e.g. weeks) over a calibration period.
 *
 * @param frequency repeat purchases: purchase periods (days) after the first one
 * @param recency   time from the first to the last purchase
 * @param age       time from the first purchase to the end of calibration ("T")
 * @param monetary  mean value of the repeat purchases (0 when there are none)
 */
public record CustomerSummary(String customerId, int frequency, double recency, double age, double monetary) {}
