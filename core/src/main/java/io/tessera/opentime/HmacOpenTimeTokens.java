package io.tessera.opentime;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Compact HMAC-SHA256 tokens: {@code base64url(payload) "." base64url(mac)} where the payload is
 * {@code v1 \n keyId \n profileId \n messageId \n purpose \n expiryEpochSeconds} and the MAC covers
 * the payload bytes. Profile ids are opaque ({@code p_…}), so a token carries no PII. Every
 * verification failure answers empty; the MAC is compared in constant time and checked before
 * anything in the payload is believed (the key id only picks which key to try).
 *
 * <p>Interim: the tracking stage's {@code io.tessera.tracking.TrackingToken} signs the same
 * claims; when it is on main this class becomes an adapter over it. Thread-safe (a Mac per call).
 */
public final class HmacOpenTimeTokens implements OpenTimeTokens {
    private static final int MAX_TOKEN_LENGTH = 600;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SigningKeys keys;
    private final InstantSource clock;

    public HmacOpenTimeTokens(SigningKeys keys, InstantSource clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public String issue(OpenTimeClaim c) {
        for (String part : new String[] {c.profileId(), c.messageId(), c.purpose()}) {
            if (part.isEmpty() || part.length() > 128 || part.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
                throw new IllegalArgumentException("token claims are 1-128 printable ASCII characters: " + part);
            }
        }
        String payload = String.join("\n", "v1", keys.currentKeyId(), c.profileId(), c.messageId(), c.purpose(),
                Long.toString(c.expiresAt().getEpochSecond()));
        byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
        return B64.encodeToString(bytes) + "." + B64.encodeToString(mac(keys.current(), bytes));
    }

    @Override
    public Optional<OpenTimeClaim> verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] given;
        try {
            payload = B64D.decode(token.substring(0, dot));
            given = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        String[] parts = new String(payload, StandardCharsets.US_ASCII).split("\n", -1);
        if (parts.length != 6 || !"v1".equals(parts[0])) {
            return Optional.empty();
        }
        Optional<byte[]> key = keys.key(parts[1]);
        if (key.isEmpty() || !MessageDigest.isEqual(mac(key.get(), payload), given)) {
            return Optional.empty();
        }
        long expiry;
        try {
            expiry = Long.parseLong(parts[5]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Instant expiresAt = Instant.ofEpochSecond(expiry);
        if (!clock.instant().isBefore(expiresAt)) {
            return Optional.empty();
        }
        return Optional.of(new OpenTimeClaim(parts[2], parts[3], parts[4], expiresAt));
    }

    private static byte[] mac(byte[] key, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
