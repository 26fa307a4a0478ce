/**
 * Predictive customer scores.
 *
 * <ul>
 *   <li>{@link io.tessera.segment.predict.PurchaseSummaries}: purchases → per-customer (x, t_x, T, m).</li>
 *   <li>{@link io.tessera.segment.predict.BgNbd}: BG/NBD fit, P(alive), expected purchases.</li>
 *   <li>{@link io.tessera.segment.predict.GammaGamma}: Gamma-Gamma fit, expected order value.</li>
 *   <li>{@link io.tessera.segment.predict.PredictiveScores}: per-profile scores and CLV, readable
 *       by conditions as {@code predicted.*}.</li>
 * </ul>
 */
package io.tessera.segment.predict;
