package io.tessera.delivery.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Quoted-printable (RFC 2045 §6.7) for body parts: line breaks in the text become CRLF, other
 * bytes outside printable ASCII, "=" and trailing white space are escaped, lines are soft-broken
 * at 76 characters, and a "." opening a line is escaped so no relay can mistake it for the end of
 * DATA. The output never contains "=_", which is why {@link MimeAssembler}'s boundaries start with it.
 */
final class QuotedPrintable {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private QuotedPrintable() {
    }

    /** Encodes into a local array and hands it over in one write (ByteArrayOutputStream.write(int) is synchronized). */
    static void encode(String text, ByteArrayOutputStream sink) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[in.length * 3 + (in.length / 25 + 2) * 3];
        int n = 0;
        int col = 0;
        for (int i = 0; i < in.length; i++) {
            int b = in[i] & 0xff;
            if (b == '\r' && i + 1 < in.length && in[i + 1] == '\n') {
                continue;
            }
            if (b == '\n' || b == '\r') {
                out[n++] = '\r';
                out[n++] = '\n';
                col = 0;
                continue;
            }
            boolean lineEnd = i + 1 == in.length || in[i + 1] == '\n' || in[i + 1] == '\r';
            boolean literal = (b >= 33 && b <= 126 && b != '=' && !(b == '.' && col == 0))
                    || ((b == ' ' || b == '\t') && !lineEnd);
            int width = literal ? 1 : 3;
            if (col + width > 75) {
                out[n++] = '=';
                out[n++] = '\r';
                out[n++] = '\n';
                col = 0;
                if (b == '.') {
                    literal = false;
                    width = 3;
                }
            }
            if (literal) {
                out[n++] = (byte) b;
            } else {
                out[n++] = '=';
                out[n++] = HEX[b >> 4];
                out[n++] = HEX[b & 0xf];
            }
            col += width;
        }
        sink.write(out, 0, n);
    }
}
