package io.tessera.delivery.mime;

/**
 * Quoted-printable (RFC 2045 §6.7) for body parts: line breaks in the text become CRLF, other
 * bytes outside printable ASCII, "=" and trailing white space are escaped, lines are soft-broken
 * at 76 characters, and a "." opening a line is escaped so no relay can mistake it for the end of
 * DATA. The output never contains "=_", which is why {@link MimeAssembler}'s boundaries start with it.
 *
 * <p>Implementation note: encodes straight from the string's chars to the message's bytes (UTF-8
 * on the fly, no intermediate byte array), with a class table per ASCII char; it was a third of a
 * campaign's Java CPU as a per-byte loop over {@code getBytes(UTF_8)} with a 3x-sized scratch
 * array (docs/BENCHMARKS.md, issue 5 and 8). Output is byte-for-byte what that loop wrote
 * ({@code WeeklyPicksMimeGoldenTest}, {@code MimeAssemblerTest}).
 */
final class QuotedPrintable {

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
    private static final byte LITERAL = 0;
    private static final byte DOT = 1;
    private static final byte BLANK = 2;
    private static final byte CR = 3;
    private static final byte LF = 4;
    private static final byte ESCAPED = 5;
    private static final byte[] CLASS = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            CLASS[c] = c >= 33 && c <= 126 && c != '=' ? LITERAL : ESCAPED;
        }
        CLASS['.'] = DOT;
        CLASS[' '] = BLANK;
        CLASS['\t'] = BLANK;
        CLASS['\r'] = CR;
        CLASS['\n'] = LF;
    }

    private QuotedPrintable() {
    }

    static void encode(String text, MessageBytes sink) {
        int len = text.length();
        int col = 0;
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            sink.ensure(32); // the most one char can write: 4 UTF-8 bytes, each escaped after a soft break
            byte[] out = sink.buf;
            int n = sink.size;
            if (c < 128) {
                switch (CLASS[c]) {
                    case LITERAL -> {
                        if (col == 75) {
                            n = softBreak(out, n);
                            col = 0;
                        }
                        out[n++] = (byte) c;
                        col++;
                    }
                    case DOT -> {
                        if (col == 75) {
                            n = softBreak(out, n);
                            col = 0;
                        }
                        if (col == 0) {
                            n = escape(out, n, c);
                            col = 3;
                        } else {
                            out[n++] = '.';
                            col++;
                        }
                    }
                    case BLANK -> {
                        boolean lineEnd = i + 1 == len || text.charAt(i + 1) == '\n' || text.charAt(i + 1) == '\r';
                        int width = lineEnd ? 3 : 1;
                        if (col + width > 75) {
                            n = softBreak(out, n);
                            col = 0;
                        }
                        if (lineEnd) {
                            n = escape(out, n, c);
                        } else {
                            out[n++] = (byte) c;
                        }
                        col += width;
                    }
                    case CR, LF -> {
                        if (c == '\r' && i + 1 < len && text.charAt(i + 1) == '\n') {
                            break; // CRLF: the LF writes the line break
                        }
                        out[n++] = '\r';
                        out[n++] = '\n';
                        col = 0;
                    }
                    default -> {
                        if (col + 3 > 75) {
                            n = softBreak(out, n);
                            col = 0;
                        }
                        n = escape(out, n, c);
                        col += 3;
                    }
                }
            } else {
                int cp = c;
                if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(text.charAt(i + 1))) {
                    cp = Character.toCodePoint(c, text.charAt(++i));
                } else if (Character.isSurrogate(c)) {
                    cp = '?'; // what String.getBytes(UTF_8) writes for an unpaired surrogate
                }
                if (cp == '?') {
                    if (col == 75) {
                        n = softBreak(out, n);
                        col = 0;
                    }
                    out[n++] = '?';
                    col++;
                } else {
                    int count = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                    for (int k = count - 1; k >= 0; k--) {
                        int b = k < count - 1 ? 0x80 | (cp >> 6 * k & 0x3F)
                                : count == 2 ? 0xC0 | cp >> 6 : count == 3 ? 0xE0 | cp >> 12 : 0xF0 | cp >> 18;
                        if (col + 3 > 75) {
                            n = softBreak(out, n);
                            col = 0;
                        }
                        n = escape(out, n, b);
                        col += 3;
                    }
                }
            }
            sink.size = n;
        }
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
