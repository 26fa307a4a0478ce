package io.tessera.delivery.tracking;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.tracking.SignedTrackingLinks.Claim;
import io.tessera.delivery.tracking.SignedTrackingLinks.Kind;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tracking-link format used before tracking and open-time tokens were unified, verified (never
 * issued) so that links already sent — in outboxes and inboxes — keep working:
 * {@code base64url(kind US scope US profileId US messageId US url) "." base64url(HMAC-SHA256[0..16])}
 * with the separate {@code trackingKey}. Those tokens carry no expiry, so they are accepted until
 * {@code acceptedUntil}: the first start with unified tokens plus the link lifetime, i.e. the
 * latest moment any link issued before it could expire.
 * Immutable; thread-safe ({@link Mac} per call).
 */
public final class LegacyLinks {
    private static final char US = '\u001f';

    private final byte[] secret;
    private final Instant acceptedUntil;

    /**
     * @param secret        the old HMAC key
     * @param acceptedUntil old-format links are refused from this instant on
     */
    public LegacyLinks(byte[] secret, Instant acceptedUntil) {
        this.secret = secret.clone();
        this.acceptedUntil = acceptedUntil;
    }

    public Instant acceptedUntil() {
        return acceptedUntil;
    }

    Optional<Claim> verify(String token, Kind expected, Instant now) {
        int dot = token.indexOf('.');
        if (!now.isBefore(acceptedUntil) || dot <= 0 || token.length() > 4096) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] sig;
        try {
            payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
            sig = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac(payload), sig)) {
            return Optional.empty();
        }
        String[] f = new String(payload, StandardCharsets.UTF_8).split(String.valueOf(US), -1);
        if (f.length != 5 || f[0].isEmpty() || f[0].charAt(0) != expected.name().charAt(0)) {
            return Optional.empty();
        }
        return Optional.of(new Claim(expected, f[1], f[2], f[3], f[4]));
    }

    /** A token in the old format, as messages sent before the unification carry (for tests of their acceptance). */
    public String issue(Kind kind, SendKey k, String messageId, String url) {
        String payload = kind.name().charAt(0) + "" + US + k.campaign() + US + k.profileId() + US + messageId + US + url;
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(p) + "." + b64.encodeToString(mac(p));
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(payload), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
