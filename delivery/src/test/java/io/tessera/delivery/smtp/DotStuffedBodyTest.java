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
        for (int round = 0; round < 2000; round++) {
            byte[] message = new byte[rnd.nextInt(200)];
            for (int i = 0; i < message.length; i++) {
                message[i] = alphabet[rnd.nextInt(alphabet.length)];
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
