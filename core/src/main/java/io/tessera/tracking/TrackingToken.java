package io.tessera.tracking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one signed-token scheme of Tessera: every URL a message carries back to us — the open
 * pixel, click redirects, one-click unsubscribe ({@code /t/…}) and the open-time feeds and live
 * images ({@code /o/…}) — holds a token from here.
 *
 * <p>Format (compact, URL-safe): {@code base64url(payload) "." base64url(hmac)} where the payload
 * is {@code v1 ␟ keyId ␟ profileId ␟ messageId ␟ purpose ␟ scope ␟ expiryEpochSeconds ␟ targetHash}
 * and the HMAC-SHA256 is computed with the key named by {@code keyId}. {@code scope} narrows a
 * purpose (the template of an open-time feed, the campaign run of a click; may be empty).
 * {@code targetHash} is the first 16 bytes of SHA-256 of the target URL (click tokens; empty
 * otherwise), so a click token only redirects to the URL it was issued for and the URL itself need
 * not be inside the token. Profile ids are opaque ({@code p_…}), so a token carries no PII.
 *
 * <p>Verification checks the length, the shape and then the MAC (in constant time) before it
 * believes anything in the payload; the key id only picks which key to try. The reasons in
 * {@link Verdict.Invalid} are for logs and metrics: endpoints answer every refusal alike.
 *
 * <p>Key rotation: tokens are signed with the first key; every listed key verifies, so an old key
 * stays listed until the longest-lived token signed with it has expired.
 *
 * <p>Implementation note: {@code Mac.getInstance} plus {@code init} costs about as much as the
 * hashing of a short token (provider lookup, key schedule), and a message issues a dozen tokens,
 * so each key keeps one initialised {@link Mac} per thread (a clone of its prototype; {@code doFinal}
 * resets it for the next call), and the SHA-256 of click targets likewise. Thread-safe: every
 * {@code Mac} and digest is confined to its thread.
 */
public final class TrackingToken {

    private static final char SEP = '\u001F';
    private static final String SEP_STRING = String.valueOf(SEP);
    private static final int MAX_TOKEN_LENGTH = 1024;
    private static final int MAX_CLAIM_LENGTH = 128;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** What a token grants. */
    public enum Purpose { OPEN, CLICK, UNSUBSCRIBE, FEED, LIVE_IMAGE }

    /** A signing key; secrets come from configuration, never from code. */
    public record Key(String id, byte[] secret) {
        public Key {
            if (!id.matches("[A-Za-z0-9_-]{1,32}") || secret.length < 16) {
                throw new IllegalArgumentException("a key needs an id of 1-32 [A-Za-z0-9_-] and a secret of at least 16 bytes");
            }
            secret = secret.clone();
        }
    }

    /** The verified content of a token. */
    public record Claims(String keyId, String profileId, String messageId, Purpose purpose, String scope, Instant expiresAt) {}

    /** The outcome of {@link #verify}. */
    public sealed interface Verdict {
        record Valid(Claims claims) implements Verdict {}

        /** @param reason {@code malformed}, {@code unknown_key}, {@code bad_signature}, {@code expired}, {@code wrong_purpose}, {@code wrong_target} */
        record Invalid(String reason) implements Verdict {}
    }

    private record SigningKey(String id, ThreadLocal<Mac> mac) {
        SigningKey(String id, Mac prototype) {
            this(id, ThreadLocal.withInitial(() -> {
                try {
                    return (Mac) prototype.clone();
                } catch (CloneNotSupportedException e) {
                    throw new IllegalStateException("the JDK's HmacSHA256 is cloneable", e);
                }
            }));
        }
    }

    /**
     * A thread's SHA-256 and its memo of recent click-target hashes: a campaign links the same
     * catalogue URLs in message after message, and hashing them again was ~1% of a campaign's Java
     * samples (JFR, docs/BENCHMARKS.md "Delivery, session 6"). Cleared when full, so personalised
     * URLs (one per recipient) keep it bounded. Only issuing uses the memo: verification hashes
     * the URL of a request, which anyone can make up (and make long). Confined to its thread.
     */
    private static final class TargetHashes {
        private static final int MAX_ENTRIES = 1024;
        private final MessageDigest sha256;
        private final HashMap<String, String> recent = new HashMap<>();

        TargetHashes() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }

        String remembered(String url) {
            String hash = recent.get(url);
            if (hash == null) {
                hash = of(url);
                if (recent.size() >= MAX_ENTRIES) {
                    recent.clear();
                }
                recent.put(url, hash);
            }
            return hash;
        }

        String of(String url) {
            return B64.encodeToString(Arrays.copyOf(sha256.digest(url.getBytes(StandardCharsets.UTF_8)), 16));
        }
    }

    private static final ThreadLocal<TargetHashes> TARGET_HASHES = ThreadLocal.withInitial(TargetHashes::new);

    private final SigningKey current;
    private final Map<String, SigningKey> keys = new LinkedHashMap<>();
    private final InstantSource clock;

    /** @param keys the signing key first, then older keys still accepted */
    public TrackingToken(List<Key> keys, InstantSource clock) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one key");
        }
        keys.forEach(k -> this.keys.put(k.id(), new SigningKey(k.id(), prototype(k.secret()))));
        this.current = this.keys.get(keys.get(0).id());
        this.clock = clock;
    }

    /** The id of the key new tokens are signed with. */
    public String currentKeyId() {
        return current.id();
    }

    public String issue(String profileId, String messageId, Purpose purpose, String targetUrl, Instant expiresAt) {
        return issue(profileId, messageId, purpose, "", targetUrl, expiresAt);
    }

    /** Issues a token narrowed to {@code scope} (e.g. the template of an open-time feed). */
    public String issue(String profileId, String messageId, Purpose purpose, String scope, String targetUrl, Instant expiresAt) {
        requireClaim(profileId, false);
        requireClaim(messageId, false);
        requireClaim(scope, true);
        String payload = "v1" + SEP + current.id() + SEP + profileId + SEP + messageId + SEP + purpose.name()
                + SEP + scope + SEP + expiresAt.getEpochSecond() + SEP + targetHash(targetUrl, true);
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(p) + "." + B64.encodeToString(mac(current, p));
    }

    /** Verifies a token for a purpose; for clicks, {@code targetUrl} must be the URL it was issued for. */
    public Verdict verify(String token, Purpose purpose, String targetUrl) {
        int dot = token.indexOf('.');
        if (token.length() > MAX_TOKEN_LENGTH || dot <= 0 || dot == token.length() - 1 || token.indexOf('.', dot + 1) >= 0) {
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
        String[] f = new String(payload, StandardCharsets.UTF_8).split(SEP_STRING, -1);
        if (f.length != 8 || !f[0].equals("v1")) {
            return new Verdict.Invalid("malformed");
        }
        SigningKey key = keys.get(f[1]);
        if (key == null) {
            return new Verdict.Invalid("unknown_key");
        }
        if (!MessageDigest.isEqual(mac(key, payload), sig)) {
            return new Verdict.Invalid("bad_signature");
        }
        long expiry;
        try {
            expiry = Long.parseLong(f[6]);
        } catch (NumberFormatException e) {
            return new Verdict.Invalid("malformed");
        }
        if (!purpose.name().equals(f[4])) {
            return new Verdict.Invalid("wrong_purpose");
        }
        if (clock.instant().getEpochSecond() >= expiry) {
            return new Verdict.Invalid("expired");
        }
        if (!MessageDigest.isEqual(f[7].getBytes(StandardCharsets.US_ASCII), targetHash(targetUrl, false).getBytes(StandardCharsets.US_ASCII))) {
            return new Verdict.Invalid("wrong_target");
        }
        return new Verdict.Valid(new Claims(f[1], f[2], f[3], purpose, f[5], Instant.ofEpochSecond(expiry)));
    }

    private static void requireClaim(String value, boolean mayBeEmpty) {
        if ((!mayBeEmpty && value.isEmpty()) || value.length() > MAX_CLAIM_LENGTH || value.indexOf(SEP) >= 0) {
            throw new IllegalArgumentException("token claims are 1-" + MAX_CLAIM_LENGTH + " characters without U+001F");
        }
    }

    private static String targetHash(String url, boolean issuing) {
        if (url.isEmpty()) {
            return "";
        }
        TargetHashes hashes = TARGET_HASHES.get();
        return issuing ? hashes.remembered(url) : hashes.of(url);
    }

    private static Mac prototype(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static byte[] mac(SigningKey key, byte[] payload) {
        return key.mac().get().doFinal(payload);
    }
}
