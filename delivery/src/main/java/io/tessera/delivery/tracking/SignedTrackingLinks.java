package io.tessera.delivery.tracking;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.campaign.TrackingLinks;
import io.tessera.tracking.TrackingToken;
import io.tessera.tracking.TrackingToken.Purpose;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Tracking links of campaign messages: the open pixel ({@code /t/o/{token}}), click redirects
 * ({@code /t/c/{token}?u={url}}) and one-click unsubscribe ({@code /t/u/{token}}). Tokens are the
 * one signed-token format of Tessera ({@link TrackingToken}: same key ring and rotation as the
 * open-time feeds and images), with the campaign's ledger scope as the token scope and an expiry
 * of {@code ttl} after sending. A click token is bound to the SHA-256 of its target URL, so the
 * redirect endpoint only ever sends a reader to a URL that was in the message (invariant 7); a
 * changed {@code u} is refused.
 *
 * <p>Links issued before the formats were unified (old format, see {@link LegacyLinks}) still
 * verify until {@link LegacyLinks#acceptedUntil()}. Immutable; thread-safe.
 */
public final class SignedTrackingLinks implements TrackingLinks {

    public enum Kind {
        OPEN(Purpose.OPEN), CLICK(Purpose.CLICK), UNSUBSCRIBE(Purpose.UNSUBSCRIBE);

        final Purpose purpose;

        Kind(Purpose purpose) {
            this.purpose = purpose;
        }
    }

    /** What a valid token says. {@code url} is empty except for clicks. */
    public record Claim(Kind kind, String scope, String profileId, String messageId, String url) {}

    private final Supplier<String> baseUrl;
    private final TrackingToken tokens;
    private final Duration ttl;
    private final InstantSource clock;
    private final Optional<LegacyLinks> legacy;

    /**
     * @param baseUrl the public base URL, read when a link is made (a server on an ephemeral port
     *                knows its URL only once it has started)
     * @param ttl     how long links keep working after sending (unsubscribe links must outlive the
     *                message's useful life: at least 30 days)
     * @param legacy  the verifier of links issued in the old format, if any were
     */
    public SignedTrackingLinks(Supplier<String> baseUrl, TrackingToken tokens, Duration ttl, InstantSource clock,
                               Optional<LegacyLinks> legacy) {
        this.baseUrl = () -> {
            String b = baseUrl.get();
            return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        };
        this.tokens = tokens;
        this.ttl = ttl;
        this.clock = clock;
        this.legacy = legacy;
    }

    /**
     * Rewrites every {@code href="http(s)://…"} (what the pattern {@code href="(https?://[^"]+)"}
     * matches) by a scan with {@code indexOf}: the regex was a tenth of a campaign's CPU with the
     * real 29 kB message (JFR, docs/BENCHMARKS.md, delivery at 1,000,000 recipients).
     *
     * <p>The output is built in a {@code char[]} ({@link Chars}), not a {@link StringBuilder}, and
     * the {@code u} parameter is form-encoded straight into it: a builder starts Latin-1 and copies
     * a UTF-16 string (any message with a non-Latin-1 character, such as the "★" of a product
     * rating) char by char until its first non-Latin-1 character, and {@code URLEncoder} makes
     * three strings per link — together a third of this method's time (JFR, docs/BENCHMARKS.md,
     * "Write watchdog instead of Angus' write timeout"). The output is the same, character for
     * character ({@code SignedTrackingLinksTest}).
     *
     * <p>A URL linked more than once in a message is signed once (the weekly-picks email links
     * each product twice: 4 of its 14 tokens).
     *
     * <p>Every link of a message expires at the same instant, read from the clock once per message
     * rather than once per link (the clock reads were ~0.5% of a campaign's Java samples, JFR,
     * docs/BENCHMARKS.md "Delivery, session 6").
     */
    @Override
    public String decorate(String html, SendKey k, String messageId) {
        String base = baseUrl.get();
        Instant expiresAt = clock.instant().plus(ttl);
        Chars out = new Chars(html.length() + 4096);
        try {
            return decorate(html, k, messageId, base, expiresAt, out);
        } finally {
            out.giveBack();
        }
    }

    private String decorate(String html, SendKey k, String messageId, String base, Instant expiresAt, Chars out) {
        // a URL linked twice (a product's image and its title) gets one token: it depends only on
        // (recipient, message, URL, expiry), so the output is the same as signing it again
        Map<String, String> links = new HashMap<>();
        int from = 0;
        int at = html.indexOf("href=\"");
        while (at >= 0) {
            int urlStart = at + 6;
            int schemeEnd = html.startsWith("https://", urlStart) ? urlStart + 8
                    : html.startsWith("http://", urlStart) ? urlStart + 7 : -1;
            int close = schemeEnd < 0 ? -1 : html.indexOf('"', schemeEnd);
            if (close > schemeEnd) {
                String href = html.substring(urlStart, close);
                out.append(html, from, at).append("href=\"");
                String link = links.get(href);
                if (link != null) {
                    out.append(link);
                } else {
                    String url = href.replace("&amp;", "&");
                    int linkAt = out.n;
                    out.append(base).append("/t/c/").append(token(Kind.CLICK, k, messageId, url, expiresAt))
                            .append("?u=").appendFormEncoded(url);
                    links.put(href, out.substring(linkAt));
                }
                out.append('"');
                from = close + 1;
                at = html.indexOf("href=\"", from);
            } else {
                at = html.indexOf("href=\"", at + 1);
            }
        }
        out.append(html, from, html.length());
        String pixel = "<img src=\"" + base + "/t/o/" + token(Kind.OPEN, k, messageId, "", expiresAt)
                + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">";
        out.insertBeforeLast("</body>", pixel);
        return out.toString();
    }

    /**
     * A growable {@code char[]}: copies with {@link String#getChars}, whatever the strings' coders.
     * Confined to one call; its array is then kept for the thread's next call.
     */
    private static final class Chars {
        private static final char[] HEX = "0123456789ABCDEF".toCharArray();
        private char[] a;
        private int n;

        /** Each platform thread's array, reused by its next message (a message's size, 50 KB, allocated and zeroed each time before). */
        private static final ThreadLocal<char[][]> FREE = ThreadLocal.withInitial(() -> new char[1][]);
        private static final int KEEP_AT_MOST = 256 * 1024;

        Chars(int capacity) {
            char[][] slot = Thread.currentThread().isVirtual() ? null : FREE.get();
            char[] free = slot == null ? null : slot[0];
            if (free != null && free.length >= capacity) {
                slot[0] = null;
                a = free;
            } else {
                a = new char[capacity];
            }
        }

        /** Keeps the array for this thread's next message; the Chars is not used after. */
        void giveBack() {
            if (a.length <= KEEP_AT_MOST && !Thread.currentThread().isVirtual()) {
                FREE.get()[0] = a;
            }
            a = null;
        }

        Chars append(String s) {
            return append(s, 0, s.length());
        }

        Chars append(String s, int start, int end) {
            ensure(end - start);
            s.getChars(start, end, a, n);
            n += end - start;
            return this;
        }

        Chars append(char c) {
            ensure(1);
            a[n++] = c;
            return this;
        }

        /**
         * What {@code URLEncoder.encode(s, UTF_8)} returns: {@code [A-Za-z0-9.*_-]} as is, space
         * as {@code +}, every other character as the {@code %XX} of its UTF-8 bytes (a run of
         * non-ASCII characters is encoded together, so surrogate pairs stay whole and a lone
         * surrogate becomes {@code ?}, as there).
         */
        Chars appendFormEncoded(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '*' || c == '_') {
                    append(c);
                } else if (c == ' ') {
                    append('+');
                } else if (c < 0x80) {
                    percent(c);
                } else {
                    int runEnd = i + 1;
                    while (runEnd < s.length() && s.charAt(runEnd) >= 0x80) {
                        runEnd++;
                    }
                    for (byte b : s.substring(i, runEnd).getBytes(StandardCharsets.UTF_8)) {
                        percent(b & 0xff);
                    }
                    i = runEnd - 1;
                }
            }
            return this;
        }

        private void percent(int b) {
            ensure(3);
            a[n++] = '%';
            a[n++] = HEX[b >> 4];
            a[n++] = HEX[b & 0xf];
        }

        /** Inserts {@code text} before the last occurrence of {@code mark}, or appends it when there is none. */
        void insertBeforeLast(String mark, String text) {
            int at = lastIndexOf(mark);
            if (at < 0) {
                append(text);
                return;
            }
            ensure(text.length());
            System.arraycopy(a, at, a, at + text.length(), n - at);
            text.getChars(0, text.length(), a, at);
            n += text.length();
        }

        private int lastIndexOf(String mark) {
            outer:
            for (int i = n - mark.length(); i >= 0; i--) {
                for (int j = 0; j < mark.length(); j++) {
                    if (a[i + j] != mark.charAt(j)) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private void ensure(int more) {
            if (n + more > a.length) {
                a = Arrays.copyOf(a, Math.max(n + more, a.length * 2));
            }
        }

        String substring(int start) {
            return new String(a, start, n - start);
        }

        @Override
        public String toString() {
            return new String(a, 0, n);
        }
    }

    @Override
    public Optional<String> unsubscribeUrl(SendKey k, String messageId) {
        return Optional.of(baseUrl.get() + "/t/u/" + token(Kind.UNSUBSCRIBE, k, messageId, ""));
    }

    String token(Kind kind, SendKey k, String messageId, String url) {
        return token(kind, k, messageId, url, clock.instant().plus(ttl));
    }

    private String token(Kind kind, SendKey k, String messageId, String url, Instant expiresAt) {
        return tokens.issue(k.profileId(), messageId, kind.purpose, k.campaign(), url, expiresAt);
    }

    /** The claim of a token of the expected kind (not a click), or empty when it is malformed, forged, expired or of another kind. */
    public Optional<Claim> verify(String token, Kind expected) {
        return verify(token, expected, "");
    }

    /**
     * The claim of a token of the expected kind; for clicks {@code url} is the link's {@code u}
     * parameter, which must be the URL the token was issued for (old-format click tokens carry
     * their URL inside and ignore it). Empty when malformed, forged, expired or of another kind.
     */
    public Optional<Claim> verify(String token, Kind expected, String url) {
        String target = expected == Kind.CLICK ? url : "";
        return switch (tokens.verify(token, expected.purpose, target)) {
            case TrackingToken.Verdict.Valid v -> Optional.of(new Claim(expected, v.claims().scope(), v.claims().profileId(),
                    v.claims().messageId(), target));
            case TrackingToken.Verdict.Invalid i when i.reason().equals("malformed") ->
                    legacy.flatMap(l -> l.verify(token, expected, clock.instant()));
            case TrackingToken.Verdict.Invalid i -> Optional.empty();
        };
    }
}
