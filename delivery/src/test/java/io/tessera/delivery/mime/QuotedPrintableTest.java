package io.tessera.delivery.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The char-level encoder writes exactly what the straightforward per-byte RFC 2045 loop writes. */
class QuotedPrintableTest {

    private static final String[] PIECES = {"a", "Z", "=", ".", " ", "\t", "\r", "\n", "\r\n", "é", "·", "€", "😀",
            "\uD800", "\uDC00", "\uDBFF\uDFFF", "\u07FF", "\u0800", "\uFFFF", "?", "_", "~", "\u0001", "\u007F", "<a href=\"x\">", "…", "ü"};

    @Test
    void encodesLikeTheReferenceLoopOnRandomText() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int round = 0; round < 3000; round++) {
            StringBuilder s = new StringBuilder();
            int len = rnd.nextInt(400);
            for (int i = 0; i < len; i++) {
                s.append(rnd.nextInt(3) == 0 ? PIECES[rnd.nextInt(PIECES.length)] : String.valueOf((char) ('a' + rnd.nextInt(26))));
            }
            String text = s.toString();
            MessageBytes out = new MessageBytes(1);
            QuotedPrintable.encode(text, out);
            assertThat(new String(out.toByteArray(), StandardCharsets.ISO_8859_1)).as("seed %d, text %s", seed, text)
                    .isEqualTo(reference(text));
        }
    }

    /** The encoder as first written (per byte over {@code getBytes(UTF_8)}): the specification. */
    private static String reference(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        int col = 0;
        for (int i = 0; i < in.length; i++) {
            int b = in[i] & 0xff;
            if (b == '\r' && i + 1 < in.length && in[i + 1] == '\n') {
                continue;
            }
            if (b == '\n' || b == '\r') {
                out.append("\r\n");
                col = 0;
                continue;
            }
            boolean lineEnd = i + 1 == in.length || in[i + 1] == '\n' || in[i + 1] == '\r';
            boolean literal = (b >= 33 && b <= 126 && b != '=' && !(b == '.' && col == 0))
                    || ((b == ' ' || b == '\t') && !lineEnd);
            int width = literal ? 1 : 3;
            if (col + width > 75) {
                out.append("=\r\n");
                col = 0;
                if (b == '.') {
                    literal = false;
                    width = 3;
                }
            }
            out.append(literal ? String.valueOf((char) b) : String.format("=%02X", b));
            col += width;
        }
        return out.toString();
    }
}
