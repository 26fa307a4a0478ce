/**
 * Data quality: the checks every record passes before the log, and the quarantine.
 *
 * <ul>
 *   <li>{@link io.tessera.quality.QualityPipeline} (port) and its {@link io.tessera.quality.QualityVerdict};
 *       {@link io.tessera.quality.QualityChecks} is the implementation, over one swappable
 *       {@link io.tessera.quality.QualityRules} snapshot.</li>
 *   <li>Field rules ({@link io.tessera.quality.FieldRule}): {@link io.tessera.quality.EmailAddresses},
 *       {@link io.tessera.quality.PhoneNumbers}, {@link io.tessera.quality.TimestampText},
 *       {@link io.tessera.quality.CurrencyAmounts}, {@link io.tessera.quality.SkuRules},
 *       {@link io.tessera.quality.CategoryTaxonomy}; each yields a {@link io.tessera.quality.FieldOutcome}.</li>
 *   <li>Tracking plans: {@link io.tessera.quality.TrackingPlan}, {@link io.tessera.quality.PlanMode},
 *       {@link io.tessera.quality.CompiledPlan} (JSON Schema 2020-12).</li>
 *   <li>{@link io.tessera.quality.QualitySettings} (its JSON form {@link io.tessera.quality.QualitySettingsCodec}),
 *       kept by {@link io.tessera.quality.QualitySettingsStore} (port) and applied by
 *       {@link io.tessera.quality.NormalizationSettings}; plans likewise by {@link io.tessera.quality.TrackingPlans}.</li>
 *   <li>{@link io.tessera.quality.ContentHash}: ids for imported rows without one.</li>
 *   <li>{@link io.tessera.quality.QuarantineStore} (port) and {@link io.tessera.quality.QuarantinedRecord}.</li>
 *   <li>{@link io.tessera.quality.CsvRecords}: the CSV text of user-maintained files.</li>
 *   <li>Subpackage {@code dedupe}: fuzzy duplicate detection of person records.</li>
 * </ul>
 */
package io.tessera.quality;
