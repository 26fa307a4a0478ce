/**
 * Fuzzy duplicate detection for CRM-style person records (issue 3, "identity resolution").
 *
 * <ul>
 *   <li>{@link io.tessera.quality.dedupe.Deduplicator}: the run (blocking, comparison, model, scoring).</li>
 *   <li>{@link io.tessera.quality.dedupe.RecordTable}: the records (from CSV text or values).</li>
 *   <li>{@link io.tessera.quality.dedupe.FieldKind}: how a column is compared (guessed from its name).</li>
 *   <li>{@link io.tessera.quality.dedupe.BlockingKey}: which records are compared at all.</li>
 *   <li>{@link io.tessera.quality.dedupe.FellegiSunterModel}: m/u weights, EM estimation, match probability.</li>
 *   <li>{@link io.tessera.quality.dedupe.DedupeSettings}, {@link io.tessera.quality.dedupe.DedupeResult},
 *       {@link io.tessera.quality.dedupe.MatchPair}: configuration and outcome (auto-merge / review).</li>
 *   <li>{@link io.tessera.quality.dedupe.LinkageQuality}: precision / recall / F1 against labelled truth.</li>
 *   <li>{@link io.tessera.quality.dedupe.ProfileDedupe}: the same scoring over the stored profiles
 *       ({@link io.tessera.quality.dedupe.ProfileRecords}), acting on it: merges through
 *       {@link io.tessera.quality.dedupe.ProfileMergeEvents} (alias events in the log), review pairs
 *       ({@link io.tessera.quality.dedupe.ReviewPair}) to the {@link io.tessera.quality.dedupe.DedupeReviewQueue} (port).</li>
 * </ul>
 */
package io.tessera.quality.dedupe;
