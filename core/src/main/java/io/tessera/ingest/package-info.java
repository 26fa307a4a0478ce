/**
 * Ingestion: turning tracking-API requests (Segment's HTTP Tracking API wire format) into
 * {@link io.tessera.event.Event}s and handing them on.
 *
 * <ul>
 *   <li>{@link io.tessera.ingest.TrackingApiParser}: request bytes → a {@link io.tessera.ingest.RequestVerdict}
 *       (field mapping, messageId, clock-skew correction, limits, bad input as values).</li>
 *   <li>{@link io.tessera.ingest.IngestLimits}: the size, count, depth and clock limits.</li>
 *   <li>{@link io.tessera.ingest.Ingestor}: parse → quality → event log → acknowledgement; rejected
 *       records go to the quarantine.</li>
 *   <li>{@link io.tessera.ingest.IngestCodes}: the machine-readable reason codes.</li>
 * </ul>
 */
package io.tessera.ingest;
