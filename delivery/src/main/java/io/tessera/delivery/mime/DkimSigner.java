package io.tessera.delivery.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * DKIM signing (RFC 6376) with rsa-sha256 and relaxed/relaxed canonicalization, using only JDK
 * crypto. {@link #sign} prepends a {@code DKIM-Signature} header to a complete message.
 *
 * <p>Signed headers: those of {@link #SIGNED} that are present (each once, first occurrence),
 * which covers what receivers and RFC 8058 require (From, List-Unsubscribe, List-Unsubscribe-Post).
 * Immutable and thread-safe ({@link Signature} objects are created per call).
 */
public final class DkimSigner {

    static final List<String> SIGNED = List.of("from", "to", "subject", "date", "message-id", "mime-version",
            "content-type", "list-unsubscribe", "list-unsubscribe-post");

    private final String domain;
    private final String selector;
    private final PrivateKey key;

    public DkimSigner(String domain, String selector, PrivateKey key) {
        this.domain = domain;
        this.selector = selector;
        this.key = key;
    }

    public byte[] sign(byte[] message) {
        String raw = new String(message, StandardCharsets.ISO_8859_1);
        int split = raw.indexOf("\r\n\r\n");
        String headerBlock = split < 0 ? raw : raw.substring(0, split + 2);
        String body = split < 0 ? "" : raw.substring(split + 4);
        List<String[]> headers = parseHeaders(headerBlock);
        List<String> names = new ArrayList<>();
        StringBuilder signedData = new StringBuilder();
        Set<String> seen = new java.util.HashSet<>();
        for (String wanted : SIGNED) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(wanted) && seen.add(wanted)) {
                    names.add(h[0]);
                    signedData.append(relaxedHeader(h[0], h[1])).append("\r\n");
                    break;
                }
            }
        }
        String bh = Base64.getEncoder().encodeToString(sha256(relaxedBody(body)));
        String unsigned = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + domain + "; s=" + selector
                + "; h=" + String.join(":", names).toLowerCase(Locale.ROOT) + "; bh=" + bh + "; b=";
        signedData.append(relaxedHeader("DKIM-Signature", unsigned));
        String b;
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signedData.toString().getBytes(StandardCharsets.ISO_8859_1));
            b = Base64.getEncoder().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DKIM signing failed", e);
        }
        String header = "DKIM-Signature: " + unsigned + fold(b) + "\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + header.length());
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(message);
        return out.toByteArray();
    }

    /** Splits b= into 76-character folded lines so the header stays under the line limit. */
    private static String fold(String b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.length(); i += 76) {
            s.append(i == 0 ? "" : "\r\n\t").append(b, i, Math.min(b.length(), i + 76));
        }
        return s.toString();
    }

    /** Header name/value pairs (value unfolded later), in order. Input is the header block with CRLFs. */
    static List<String[]> parseHeaders(String block) {
        List<String[]> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : block.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append("\r\n").append(line);
            } else {
                if (current != null) {
                    out.add(splitHeader(current.toString()));
                }
                current = new StringBuilder(line);
            }
        }
        if (current != null) {
            out.add(splitHeader(current.toString()));
        }
        return out;
    }

    private static String[] splitHeader(String h) {
        int colon = h.indexOf(':');
        return new String[] {h.substring(0, colon), h.substring(colon + 1)};
    }

    static String relaxedHeader(String name, String value) {
        String v = value.replace("\r\n", "").replaceAll("[ \t]+", " ").strip();
        return name.toLowerCase(Locale.ROOT).strip() + ":" + v;
    }

    /**
     * RFC 6376 §3.4.4 in one pass: white-space runs become one SP, white space at line ends and
     * empty lines at the end go, a non-empty body ends with CRLF. (A regex per line cost more
     * than the RSA signature on 8 kB bodies; docs/BENCHMARKS.md.)
     */
    static byte[] relaxedBody(String body) {
        int n = body.length();
        byte[] out = new byte[n + 2];
        int len = 0;
        int lastContentEnd = 0;
        boolean pendingSpace = false;
        boolean lineHasContent = false;
        for (int i = 0; i < n; i++) {
            char c = body.charAt(i);
            if (c == '\r' && i + 1 < n && body.charAt(i + 1) == '\n') {
                out[len++] = '\r';
                out[len++] = '\n';
                if (lineHasContent) {
                    lastContentEnd = len;
                }
                pendingSpace = false;
                lineHasContent = false;
                i++;
            } else if (c == ' ' || c == '\t') {
                pendingSpace = true;
            } else {
                if (pendingSpace) {
                    out[len++] = ' ';
                    pendingSpace = false;
                }
                out[len++] = (byte) c;
                lineHasContent = true;
            }
            if (len + 3 > out.length) {
                out = java.util.Arrays.copyOf(out, out.length * 2 + 4);
            }
        }
        if (lineHasContent) {
            out[len++] = '\r';
            out[len++] = '\n';
            lastContentEnd = len;
        }
        return java.util.Arrays.copyOf(out, lastContentEnd);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
