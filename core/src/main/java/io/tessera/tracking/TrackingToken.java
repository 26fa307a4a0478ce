package io.tessera.tracking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring tokens for tracking and open-time URLs ({@code /t/o/…}, {@code /t/c/…},
 * {@code /t/u/…}, {@code /o/…}).
 *
 * <p>Format (compact, URL-safe): {@code base64url(payload) "." base64url(hmac)} where the payload
 * is {@code v1 ␟ keyId ␟ profileId ␟ messageId ␟ purpose ␟ expiryEpochSeconds ␟ targetHash} and the
 * HMAC-SHA256 is computed with the key named by {@code keyId}. {@code targetHash} is the first 16
 * bytes of SHA-256 of the target URL (click tokens; empty otherwise), so a click token only
 * redirects to the URL it was issued for and the URL itself need not be inside the token.
 *
 * <p>Key rotation: tokens are signed with the first key; every listed key verifies, so an old key
 * stays listed until the longest-lived token signed with it has expired. Thread-safe (a
 * {@link Mac} is created per call; they are cheap compared with the hashing).
 */
public final class TrackingToken {

    private static final char SEP = '\u001F';
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** What a token grants. */
    public enum Purpose { OPEN, CLICK, UNSUBSCRIBE, OPEN_TIME }

    /** A signing key; secrets come from configuration, never from code. */
    public record Key(String id, byte[] secret) {
        public Key {
            if (id.isEmpty() || id.indexOf(SEP) >= 0 || secret.length < 16) {
                throw new IllegalArgumentException("a key needs an id and a secret of at least 16 bytes");
            }
            secret = secret.clone();
        }
    }

    /** The verified content of a token. */
    public record Claims(String keyId, String profileId, String messageId, Purpose purpose, Instant expiresAt) {}

    /** The outcome of {@link #verify}. */
    public sealed interface Verdict {
        record Valid(Claims claims) implements Verdict {}

        /** @param reason {@code malformed}, {@code unknown_key}, {@code bad_signature}, {@code expired}, {@code wrong_purpose}, {@code wrong_target} */
        record Invalid(String reason) implements Verdict {}
    }

    private final Key current;
    private final Map<String, Key> keys = new LinkedHashMap<>();
    private final InstantSource clock;

    /** @param keys the signing key first, then older keys still accepted */
    public TrackingToken(List<Key> keys, InstantSource clock) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one key");
        }
        this.current = keys.get(0);
        keys.forEach(k -> this.keys.put(k.id(), k));
        this.clock = clock;
    }

    public String issue(String profileId, String messageId, Purpose purpose, String targetUrl, Instant expiresAt) {
        if (profileId.indexOf(SEP) >= 0 || messageId.indexOf(SEP) >= 0) {
            throw new IllegalArgumentException("ids must not contain U+001F");
        }
        String payload = "v1" + SEP + current.id() + SEP + profileId + SEP + messageId + SEP + purpose.name()
                + SEP + expiresAt.getEpochSecond() + SEP + targetHash(targetUrl);
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(p) + "." + B64.encodeToString(mac(current, p));
    }

    /** Verifies a token for a purpose; for clicks, {@code targetUrl} must be the URL it was issued for. */
    public Verdict verify(String token, Purpose purpose, String targetUrl) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            return new Verdict.Invalid("malformed");
        }
        byte[] payload;
        byte[] sig;
        try {
            payload = B64D.decode(token.substring(0, dot));
            sig = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException notBase64) {
            return new Verdict.Invalid("malformed");
        }
        String[] f = new String(payload, StandardCharsets.UTF_8).split(String.valueOf(SEP), -1);
        if (f.length != 7 || !f[0].equals("v1")) {
            return new Verdict.Invalid("malformed");
        }
        Key key = keys.get(f[1]);
        if (key == null) {
            return new Verdict.Invalid("unknown_key");
        }
        if (!MessageDigest.isEqual(mac(key, payload), sig)) {
            return new Verdict.Invalid("bad_signature");
        }
        Optional<Purpose> p = Arrays.stream(Purpose.values()).filter(x -> x.name().equals(f[4])).findFirst();
        long expiry;
        try {
            expiry = Long.parseLong(f[5]);
        } catch (NumberFormatException e) {
            return new Verdict.Invalid("malformed");
        }
        if (p.isEmpty() || p.get() != purpose) {
            return new Verdict.Invalid("wrong_purpose");
        }
        if (clock.instant().getEpochSecond() >= expiry) {
            return new Verdict.Invalid("expired");
        }
        if (!MessageDigest.isEqual(f[6].getBytes(StandardCharsets.US_ASCII), targetHash(targetUrl).getBytes(StandardCharsets.US_ASCII))) {
            return new Verdict.Invalid("wrong_target");
        }
        return new Verdict.Valid(new Claims(f[1], f[2], f[3], p.get(), Instant.ofEpochSecond(expiry)));
    }

    private static String targetHash(String url) {
        if (url.isEmpty()) {
            return "";
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return B64.encodeToString(Arrays.copyOf(h, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] mac(Key key, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
