/**
 * Real-time segments: audiences defined by CEL conditions over profiles and their behaviour,
 * kept current as events arrive and as time passes.
 *
 * <ul>
 *   <li>{@link io.tessera.segment.SegmentCompiler}: CEL condition → {@link io.tessera.segment.CompiledSegment},
 *       finding the {@link io.tessera.segment.Aggregate}s it needs; bad conditions are a
 *       {@link io.tessera.segment.CompileVerdict.Invalid} with the error position.</li>
 *   <li>{@link io.tessera.segment.SegmentCatalog}: the active segments, in dependency order.</li>
 *   <li>{@link io.tessera.segment.SegmentEngine}: incremental evaluation on profile changes and
 *       window timers (per-profile state in {@code WindowStates}, evaluation in
 *       {@code MembershipEvaluator}, one operation's writes in {@code PendingWrites});
 *       {@link io.tessera.segment.MembershipWriter} writes them behind it as a group commit and
 *       then publishes the {@link io.tessera.segment.MembershipChange}s to
 *       {@link io.tessera.segment.MembershipListener}s (a fired timer's writes first; a failed
 *       write retried, one the store refuses for good, {@link io.tessera.segment.WriteRefusedException}, not).</li>
 *   <li>{@link io.tessera.segment.SegmentRegistry}: save/delete/list/versions and
 *       {@link io.tessera.segment.Backfill}s; in a cluster {@link io.tessera.segment.PartitionBackfills}
 *       (each partition backfilled by its owner, shared through a {@link io.tessera.segment.BackfillLedger})
 *       and {@link io.tessera.segment.PartitionHandover}.</li>
 *   <li>{@link io.tessera.segment.HistoryEvaluator}: the brute-force ground truth.</li>
 *   <li>Ports: {@link io.tessera.segment.MembershipStore}, {@link io.tessera.segment.WindowTimerStore},
 *       {@link io.tessera.segment.SegmentDefinitionStore}, {@link io.tessera.segment.ProfileScores},
 *       {@link io.tessera.segment.BackfillLedger}.</li>
 *   <li>Sub-packages: {@code rfm} (RFM scores and groups), {@code predict} (BG/NBD, Gamma-Gamma, CLV).</li>
 * </ul>
 */
package io.tessera.segment;
