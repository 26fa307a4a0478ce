/**
 * RFM scoring: {@link io.tessera.segment.rfm.RfmScorer} (quintile scores over configurable purchase
 * events), {@link io.tessera.segment.rfm.RfmScore} and the named {@link io.tessera.segment.rfm.RfmGroup}s,
 * readable by conditions as {@code rfm.r}, {@code rfm.f}, {@code rfm.m}, {@code rfm.score}, {@code rfm.group}.
 */
package io.tessera.segment.rfm;
