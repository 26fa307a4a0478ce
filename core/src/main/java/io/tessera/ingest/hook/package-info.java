/**
 * Inbound webhooks ({@code POST /hooks/{source}}): a CRM, shop or form tool posts its own JSON;
 * each configured {@link io.tessera.ingest.hook.HookSource} says how its requests are signed
 * ({@link io.tessera.ingest.hook.HookSignature}: HMAC-SHA256, the signed content, a replay window)
 * and how its payload becomes Segment-shaped identify/track calls
 * ({@link io.tessera.ingest.hook.HookMapping}). The calls then take the normal ingestion path
 * (parser, quality pipeline, quarantine, log), so a webhook record is validated, deduplicated and
 * quarantined exactly like an API call.
 */
package io.tessera.ingest.hook;
