package io.tessera.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.eclipse.angus.mail.smtp.SMTPOutputStream;
import org.junit.jupiter.api.Test;

/** The one-pass body sends exactly what Angus' SMTPOutputStream sends, for any bytes cut into any writes. */
class DotStuffedBodyTest {

    @Test
    void stuffsDotsAndMakesEveryLineBreakCrlfExactlyAsAngusDoes() throws IOException {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        byte[] alphabet = {'\r', '\n', '.', 'a', '=', ' ', (byte) 0xc3};
        for (int round = 0; round < 4000; round++) {
            byte[] message = new byte[rnd.nextInt(200)];
            boolean longLines = round % 2 == 0; // line breaks rare: the eight-bytes-at-a-time scan
            for (int i = 0; i < message.length; i++) {
                message[i] = longLines && rnd.nextInt(20) != 0 ? (byte) ('a' + rnd.nextInt(3))
                        : alphabet[rnd.nextInt(alphabet.length)];
            }
            ByteArrayOutputStream angus = new ByteArrayOutputStream();
            SMTPOutputStream reference = new SMTPOutputStream(angus);
            ByteArrayOutputStream ours = new ByteArrayOutputStream();
            DotStuffedBody body = new DotStuffedBody(ours);
            int at = 0;
            while (at < message.length) {
                int len = Math.min(message.length - at, 1 + rnd.nextInt(40));
                writeChunk(reference, message, at, len);
                writeChunk(body, message, at, len);
                at += len;
            }
            reference.ensureAtBOL();
            body.endAtLineStart();
            assertThat(ours.toByteArray()).as("seed %d, round %d: %s", seed, round,
                    new String(message, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n"))
                    .isEqualTo(angus.toByteArray());
        }
    }

    @Test
    void findsTheFirstLineBreakEightBytesAtATimeAsAByteByByteScanWould() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int round = 0; round < 20000; round++) {
            byte[] b = new byte[rnd.nextInt(120)];
            int breaks = rnd.nextInt(4);
            for (int i = 0; i < b.length; i++) {
                // every byte value, breaks rare, and the neighbours of CR and LF (0x09, 0x0B, 0x0C, 0x0E, 0x8A, 0x8D) often
                int k = rnd.nextInt(10);
                b[i] = (byte) (k < 6 ? rnd.nextInt(256) : new int[] {0x09, 0x0B, 0x0C, 0x0E, 0x8A, 0x8D, 0x00, 0xFF}[rnd.nextInt(8)]);
                if (b[i] == '\r' || b[i] == '\n') {
                    b[i] = 'x';
                }
            }
            for (int k = 0; k < breaks && b.length > 0; k++) {
                b[rnd.nextInt(b.length)] = rnd.nextBoolean() ? (byte) '\r' : (byte) '\n';
            }
            int from = b.length == 0 ? 0 : rnd.nextInt(b.length);
            int end = from + rnd.nextInt(b.length - from + 1);
            int expected = from;
            while (expected < end && b[expected] != '\r' && b[expected] != '\n') {
                expected++;
            }
            assertThat(DotStuffedBody.lineBreak(b, from, end)).as("seed %d, round %d", seed, round).isEqualTo(expected);
        }
    }

    @Test
    void aBodyThatEndsWithALineBreakGetsNoExtraOne() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffedBody body = new DotStuffedBody(out);
        body.write(".top\r\nmiddle\n.\r\nend\r\n".getBytes(StandardCharsets.US_ASCII));
        body.endAtLineStart();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("..top\r\nmiddle\r\n..\r\nend\r\n");
    }

    private static void writeChunk(OutputStream out, byte[] b, int off, int len) throws IOException {
        if (len == 1) {
            out.write(b[off]);
        } else {
            out.write(b, off, len);
        }
    }
}
