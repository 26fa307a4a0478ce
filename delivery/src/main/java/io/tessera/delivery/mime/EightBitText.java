package io.tessera.delivery.mime;

import java.nio.charset.StandardCharsets;

/**
 * A body part as {@code Content-Transfer-Encoding: 8bit} (RFC 2045 §2.8, RFC 6152): the text's
 * UTF-8 bytes with every line break made CRLF — or nothing, when the text cannot be 8bit: a line
 * longer than 998 octets (RFC 5322 §2.1.1) or a NUL byte. The caller then writes the part
 * quoted-printable instead. Dots opening a line are left to the SMTP client's dot-stuffing
 * (unlike quoted-printable, which escapes them for relays that might not stuff).
 *
 * <p>Why: quoted-printable was 10–17% of a message's CPU in the delivery benchmark
 * (docs/BENCHMARKS.md, "Delivery, session 6"); this is a copy and a scan for line breaks.
 * Lone surrogates become '?', as in {@link QuotedPrintable} and {@code String.getBytes(UTF_8)}.
 */
final class EightBitText {

    /** RFC 5322 §2.1.1: a line is at most 998 octets, the CRLF not counted. */
    static final int MAX_LINE = 998;

    private EightBitText() {
    }

    /** Appends the 8bit form of {@code text} to {@code sink}; false (and nothing appended) if it has none. */
    static boolean encode(String text, MessageBytes sink) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        int start = sink.size;
        int len = in.length;
        sink.ensure(len + len / 32 + 16);
        int i = 0;
        while (i < len) {
            int j = i;
            byte b = 0;
            while (j < len && (b = in[j]) != '\r' && b != '\n') {
                if (b == 0) {
                    sink.size = start;
                    return false;
                }
                j++;
            }
            if (j - i > MAX_LINE) {
                sink.size = start;
                return false;
            }
            sink.ensure(j - i + 2);
            System.arraycopy(in, i, sink.buf, sink.size, j - i);
            sink.size += j - i;
            if (j == len) {
                break;
            }
            sink.buf[sink.size++] = '\r';
            sink.buf[sink.size++] = '\n';
            i = b == '\r' && j + 1 < len && in[j + 1] == '\n' ? j + 2 : j + 1;
        }
        return true;
    }
}
