/**
 * Scheduled pulls: Tessera asks a REST endpoint (an order system's "orders since …") for new records
 * on a schedule, with a cursor it keeps, and sends the records down the normal ingestion path with
 * the same mapping as inbound webhooks ({@link io.tessera.ingest.hook.HookMapping}). The cursor only
 * advances after the records are durable, so a crash or an outage repeats a page (harmless: the
 * records keep their message ids) and never skips one.
 */
package io.tessera.ingest.pull;
