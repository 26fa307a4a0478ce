package io.tessera.webhook;

import java.nio.charset.StandardCharsets;
import io.tessera.ingest.hook.HookSignature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How deliveries are signed: the same scheme Tessera verifies on inbound hooks
 * ({@code io.tessera.ingest.hook.HookSignature#tessera}): {@code X-Tessera-Timestamp} carries the
 * Unix time of the attempt and {@code X-Tessera-Signature} is {@code sha256=} and the hex
 * HMAC-SHA256, keyed with the subscription's secret, of {@code "<timestamp>.<body>"}. A receiver
 * recomputes it, compares in constant time and refuses timestamps far from its clock (replays).
 */
public final class WebhookSignature {
    private static final HookSignature SCHEME = HookSignature.tessera();
    public static final String SIGNATURE_HEADER = SCHEME.header();
    public static final String TIMESTAMP_HEADER = SCHEME.timestampHeader().orElseThrow();

    private WebhookSignature() {}

    /** The signature value for a body sent at {@code epochSeconds} (computed by the inbound scheme itself). */
    public static String sign(String secret, long epochSeconds, String body) {
        return SCHEME.headerValue(secret.getBytes(StandardCharsets.UTF_8), Long.toString(epochSeconds),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** The headers of one attempt. */
    public static Map<String, String> headers(String secret, long epochSeconds, String body, String eventId, String eventType) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put(TIMESTAMP_HEADER, Long.toString(epochSeconds));
        h.put(SIGNATURE_HEADER, sign(secret, epochSeconds, body));
        h.put("X-Tessera-Event-Id", eventId);
        h.put("X-Tessera-Event-Type", eventType);
        return h;
    }
}
