package io.tessera.delivery.tracking;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.campaign.TrackingLinks;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
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
 * routes only need {@link #verify}). Immutable apart from one {@link Mac} per thread; thread-safe.
 */
public final class SignedTrackingLinks implements TrackingLinks {

    public enum Kind { OPEN, CLICK, UNSUBSCRIBE }

    /** What a valid token says. {@code url} is empty except for clicks. */
    public record Claim(Kind kind, String scope, String profileId, String messageId, String url) {}

    private static final char US = '\u001f';

    private final java.util.function.Supplier<String> baseUrl;
    private final byte[] key;
    /** One initialised Mac per thread: getInstance + init per token cost more than the HMAC itself (a message has a dozen). */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

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

    /**
     * Rewrites every {@code href="http(s)://…"} (what the pattern {@code href="(https?://[^"]+)"}
     * matches) by a scan with {@code indexOf}: the regex was a tenth of a campaign's CPU with the
     * real 29 kB message (JFR, docs/BENCHMARKS.md, delivery at 1,000,000 recipients).
     */
    @Override
    public String decorate(String html, SendKey k, String messageId) {
        String base = baseUrl.get();
        StringBuilder out = new StringBuilder(html.length() + 2048);
        int from = 0;
        int at = html.indexOf("href=\"", 0);
        while (at >= 0) {
            int urlStart = at + 6;
            int schemeEnd = html.startsWith("https://", urlStart) ? urlStart + 8
                    : html.startsWith("http://", urlStart) ? urlStart + 7 : -1;
            int close = schemeEnd < 0 ? -1 : html.indexOf('"', schemeEnd);
            if (close > schemeEnd) {
                String url = html.substring(urlStart, close).replace("&amp;", "&");
                out.append(html, from, at).append("href=\"").append(base).append("/t/c/")
                        .append(token(Kind.CLICK, k, messageId, url)).append('"');
                from = close + 1;
                at = html.indexOf("href=\"", from);
            } else {
                at = html.indexOf("href=\"", at + 1);
            }
        }
        out.append(html, from, html.length());
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
        return java.util.Arrays.copyOf(macs.get().doFinal(payload), 16);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
