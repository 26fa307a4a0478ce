package io.tessera.delivery.tracking;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.campaign.TrackingLinks;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tracking links signed with HMAC-SHA256: the open pixel ({@code /t/o/}), click redirects
 * ({@code /t/c/}) and one-click unsubscribe ({@code /t/u/}). A click token carries its target URL
 * inside the signed payload, so the redirect endpoint can only ever send a reader to a URL that
 * was in the message (invariant 7) — there is no URL parameter to tamper with.
 *
 * <p>Token: {@code base64url(kind US scope US profileId US messageId US url) "." base64url(mac[0..16])}.
 * Interim implementation until the content stage's {@code TrackingToken} lands (same idea; the
 * routes only need {@link #verify}). Immutable; thread-safe ({@link Mac} per call).
 */
public final class SignedTrackingLinks implements TrackingLinks {

    public enum Kind { OPEN, CLICK, UNSUBSCRIBE }

    /** What a valid token says. {@code url} is empty except for clicks. */
    public record Claim(Kind kind, String scope, String profileId, String messageId, String url) {}

    private static final Pattern HREF = Pattern.compile("href=\"(https?://[^\"]+)\"");
    private static final char US = '\u001f';

    private final java.util.function.Supplier<String> baseUrl;
    private final byte[] key;

    public SignedTrackingLinks(String baseUrl, byte[] key) {
        this(() -> baseUrl, key);
    }

    /**
     * With the public base URL read when a link is made: a server listening on an ephemeral port
     * (tests, {@code --port 0}) knows its URL only once it has started.
     */
    public SignedTrackingLinks(java.util.function.Supplier<String> baseUrl, byte[] key) {
        this.baseUrl = () -> {
            String b = baseUrl.get();
            return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        };
        this.key = key.clone();
    }

    @Override
    public String decorate(String html, SendKey k, String messageId) {
        String base = baseUrl.get();
        Matcher m = HREF.matcher(html);
        StringBuilder out = new StringBuilder(html.length() + 512);
        while (m.find()) {
            String url = m.group(1).replace("&amp;", "&");
            m.appendReplacement(out, Matcher.quoteReplacement(
                    "href=\"" + base + "/t/c/" + token(Kind.CLICK, k, messageId, url) + "\""));
        }
        m.appendTail(out);
        String pixel = "<img src=\"" + base + "/t/o/" + token(Kind.OPEN, k, messageId, "")
                + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">";
        int body = out.lastIndexOf("</body>");
        if (body >= 0) {
            out.insert(body, pixel);
        } else {
            out.append(pixel);
        }
        return out.toString();
    }

    @Override
    public Optional<String> unsubscribeUrl(SendKey k, String messageId) {
        return Optional.of(baseUrl.get() + "/t/u/" + token(Kind.UNSUBSCRIBE, k, messageId, ""));
    }

    String token(Kind kind, SendKey k, String messageId, String url) {
        String payload = kind.name().charAt(0) + "" + US + k.campaign() + US + k.profileId() + US + messageId + US + url;
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(p) + "." + b64.encodeToString(mac(p));
    }

    /** The claim of a token of the expected kind, or empty when it is malformed, forged or of another kind. */
    public Optional<Claim> verify(String token, Kind expected) {
        int dot = token.indexOf('.');
        if (dot <= 0 || token.length() > 4096) {
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

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] full = mac.doFinal(payload);
            return java.util.Arrays.copyOf(full, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
