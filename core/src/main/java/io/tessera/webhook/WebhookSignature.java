package io.tessera.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How deliveries are signed: the same scheme Tessera verifies on inbound hooks
 * ({@code io.tessera.ingest.hook.HookSignature#tessera}): {@code X-Tessera-Timestamp} carries the
 * Unix time of the attempt and {@code X-Tessera-Signature} is {@code sha256=} and the hex
 * HMAC-SHA256, keyed with the subscription's secret, of {@code "<timestamp>.<body>"}. A receiver
 * recomputes it, compares in constant time and refuses timestamps far from its clock (replays).
 */
public final class WebhookSignature {
    public static final String SIGNATURE_HEADER = "X-Tessera-Signature";
    public static final String TIMESTAMP_HEADER = "X-Tessera-Timestamp";

    private WebhookSignature() {}

    /** The signature value for a body sent at {@code epochSeconds}. */
    public static String sign(String secret, long epochSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((epochSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
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
