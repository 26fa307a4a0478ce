/**
 * Data quality: the checks every record passes before the log, and the quarantine.
 *
 * <ul>
 *   <li>{@link io.tessera.quality.QualityPipeline} and its {@link io.tessera.quality.QualityVerdict}.</li>
 *   <li>{@link io.tessera.quality.QuarantineStore}: where rejected records are kept (port).</li>
 * </ul>
 */
package io.tessera.quality;
