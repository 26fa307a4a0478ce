/**
 * The event model and the event log port.
 *
 * <ul>
 *   <li>{@link io.tessera.event.Event}: one accepted record, as stored and applied.</li>
 *   <li>{@link io.tessera.event.EventLog}: the durable ordered log (port).</li>
 *   <li>{@link io.tessera.event.EventBatchHandler}: how the log hands events to the profile engine.</li>
 *   <li>{@link io.tessera.event.EventCodec}: the stored JSON form of an event.</li>
 *   <li>{@link io.tessera.event.InstantText}: the stored instants, parsed fast.</li>
 *   <li>{@link io.tessera.event.JsonValues}: helpers for the JSON values events carry.</li>
 * </ul>
 */
package io.tessera.event;
