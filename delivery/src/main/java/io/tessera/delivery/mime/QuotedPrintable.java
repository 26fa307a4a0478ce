package io.tessera.delivery.mime;

import java.nio.charset.StandardCharsets;

/**
 * Quoted-printable (RFC 2045 §6.7) for body parts: line breaks in the text become CRLF, other
 * bytes outside printable ASCII, "=" and trailing white space are escaped, lines are soft-broken
 * at 76 characters, and a "." opening a line is escaped so no relay can mistake it for the end of
 * DATA. The output never contains "=_", which is why {@link MimeAssembler}'s boundaries start with it.
 *
 * <p>Implementation note: one table lookup per byte of {@code getBytes(UTF_8)} (an intrinsic),
 * written straight into the message's array, grown in steps instead of a 3x-sized scratch array
 * copied through a synchronized stream; a char-by-char version over the String was slower still
 * ({@code String.charAt} bounds checks on UTF-16 strings). It was a third of a campaign's Java CPU
 * (docs/BENCHMARKS.md, issues 5 and 8). Output is byte-for-byte what that loop wrote
 * ({@code WeeklyPicksMimeGoldenTest}, {@code MimeAssemblerTest}).
 */
final class QuotedPrintable {

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
    /** Bytes that may go out as they are inside a line: printable ASCII but "=", and blanks (see {@link #encode} for the two exceptions). */
    private static final boolean[] RUN = new boolean[256];

    static {
        for (int c = 33; c <= 126; c++) {
            RUN[c] = c != '=';
        }
        RUN[' '] = true;
        RUN['\t'] = true;
    }

    private QuotedPrintable() {
    }

    static void encode(String text, MessageBytes sink) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        int len = in.length;
        sink.ensure(len + len / 8 + 128);
        byte[] out = sink.buf;
        int n = sink.size;
        int col = 0;
        int i = 0;
        while (i < len) {
            if (n + 88 > out.length) { // at most a soft break and a 75-byte run, or "=\r\n=XX"
                sink.size = n;
                sink.ensure(len - i + (len - i) / 4 + 128);
                out = sink.buf;
            }
            int b = in[i] & 0xff;
            if (RUN[b] && !(b == '.' && col == 0)) {
                if (col == 75) {
                    n = softBreak(out, n);
                    col = 0;
                    if (b == '.') {
                        continue; // a dot opening a line is escaped, below
                    }
                }
                // the longest run written as it is, up to the end of the line: one copy. A dot
                // can only open a line at the run's start; a blank ending a line must be escaped
                // (RFC 2045 rule 3) and can only be the run's last byte.
                int end = Math.min(len, i + 75 - col);
                int j = i + 1;
                while (j < end && RUN[in[j] & 0xff]) {
                    j++;
                }
                int last = in[j - 1];
                if ((last == ' ' || last == '\t') && (j == len || in[j] == '\n' || in[j] == '\r')) {
                    j--;
                }
                if (j > i) {
                    System.arraycopy(in, i, out, n, j - i);
                    n += j - i;
                    col += j - i;
                    i = j;
                    continue;
                }
            }
            if (b == '\r' || b == '\n') {
                if (!(b == '\r' && i + 1 < len && in[i + 1] == '\n')) { // CRLF: the LF writes the line break
                    out[n++] = '\r';
                    out[n++] = '\n';
                    col = 0;
                }
            } else {
                if (col > 72) {
                    n = softBreak(out, n);
                    col = 0;
                }
                n = escape(out, n, b);
                col += 3;
            }
            i++;
        }
        sink.size = n;
    }

    private static int escape(byte[] out, int n, int b) {
        out[n] = '=';
        out[n + 1] = HEX[b >> 4 & 0xf];
        out[n + 2] = HEX[b & 0xf];
        return n + 3;
    }

    private static int softBreak(byte[] out, int n) {
        out[n] = '=';
        out[n + 1] = '\r';
        out[n + 2] = '\n';
        return n + 3;
    }
}
