package io.tessera.delivery.mime;

/**
 * Quoted-printable (RFC 2045 §6.7) for body parts: line breaks in the text become CRLF, other
 * bytes outside printable ASCII, "=" and trailing white space are escaped, lines are soft-broken
 * at 76 characters, and a "." opening a line is escaped so no relay can mistake it for the end of
 * DATA. The output never contains "=_", which is why {@link MimeAssembler}'s boundaries start with it.
 *
 * <p>Implementation note: reads the text's chars (one bulk copy into a per-thread array) and
 * writes UTF-8 itself only for the escaped non-ASCII chars — {@code getBytes(UTF_8)} of a UTF-16
 * string (one "€" makes the whole HTML UTF-16) was 7% of a complete message's CPU; runs of
 * literal chars (blanks and dots included) are copied in one loop each; written straight into the
 * message's array, grown in steps instead of a 3x-sized scratch array copied through a
 * synchronized stream ({@code String.charAt} per char was slower: bounds checks on UTF-16
 * strings). It was a third of a campaign's Java CPU (docs/BENCHMARKS.md, issues 5 and 8). Output is
 * byte-for-byte what the first per-byte loop over {@code getBytes(UTF_8)} wrote
 * ({@code QuotedPrintableTest} keeps that loop as the oracle, {@code WeeklyPicksMimeGoldenTest}).
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

    /** Each platform thread's copy of the text being encoded (grown to the largest part it has seen). */
    private static final ThreadLocal<char[]> CHARS = ThreadLocal.withInitial(() -> new char[0]);

    static void encode(String text, MessageBytes sink) {
        int len = text.length();
        char[] in;
        if (Thread.currentThread().isVirtual()) {
            in = new char[len]; // a virtual thread lives for one task: caching would only pin the array to it
        } else {
            in = CHARS.get();
            if (in.length < len) {
                in = new char[len + len / 4];
                CHARS.set(in);
            }
        }
        text.getChars(0, len, in, 0);
        sink.ensure(len + len / 8 + 128);
        byte[] out = sink.buf;
        int n = sink.size;
        int col = 0;
        int i = 0;
        while (i < len) {
            if (n + 88 > out.length) { // at most a soft break and a 75-byte run, or 4 x "=\r\n=XX"
                sink.size = n;
                sink.ensure(len - i + (len - i) / 4 + 128);
                out = sink.buf;
            }
            char c = in[i];
            if (c < 128 && RUN[c] && !(c == '.' && col == 0)) {
                if (col == 75) {
                    n = softBreak(out, n);
                    col = 0;
                    if (c == '.') {
                        continue; // a dot opening a line is escaped, below
                    }
                }
                // the longest run written as it is, up to the end of the line. A dot can only
                // open a line at the run's start; a blank ending a line must be escaped (RFC 2045
                // rule 3) and can only be the run's last char.
                int end = Math.min(len, i + 75 - col);
                int j = i + 1;
                while (j < end && in[j] < 128 && RUN[in[j]]) {
                    j++;
                }
                char last = in[j - 1];
                if ((last == ' ' || last == '\t') && (j == len || in[j] == '\n' || in[j] == '\r')) {
                    j--;
                }
                for (int k = i; k < j; k++) {
                    out[n++] = (byte) in[k];
                }
                col += j - i;
                if (j > i) {
                    i = j;
                    continue;
                }
            }
            if (c == '\r' || c == '\n') {
                if (!(c == '\r' && i + 1 < len && in[i + 1] == '\n')) { // CRLF: the LF writes the line break
                    out[n++] = '\r';
                    out[n++] = '\n';
                    col = 0;
                }
                i++;
            } else if (c < 128) {
                if (col > 72) {
                    n = softBreak(out, n);
                    col = 0;
                }
                n = escape(out, n, c);
                col += 3;
                i++;
            } else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(in[i + 1]))) {
                // a lone surrogate: what String.getBytes(UTF_8) writes for it, a literal '?'
                if (col == 75) {
                    n = softBreak(out, n);
                    col = 0;
                }
                out[n++] = '?';
                col++;
                i++;
            } else {
                int cp = Character.isHighSurrogate(c) ? Character.toCodePoint(c, in[i + 1]) : c;
                int count = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                int lead = count == 2 ? 0xC0 : count == 3 ? 0xE0 : 0xF0;
                for (int k = count - 1; k >= 0; k--) { // its UTF-8 bytes, each escaped
                    int b = k == count - 1 ? lead | cp >> 6 * k : 0x80 | cp >> 6 * k & 0x3f;
                    if (col > 72) {
                        n = softBreak(out, n);
                        col = 0;
                    }
                    n = escape(out, n, b);
                    col += 3;
                }
                i += count == 4 ? 2 : 1;
            }
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
