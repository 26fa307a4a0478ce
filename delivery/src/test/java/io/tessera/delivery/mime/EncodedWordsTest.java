package io.tessera.delivery.mime;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeUtility;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Our RFC 2047 encoder writes exactly what Jakarta Mail's {@code MimeUtility.encodeText(text, "UTF-8", null)} writes. */
class EncodedWordsTest {

    private static final String[] PIECES = {"a", "Z", " ", "=", "_", "?", "\"", "(", ".", ":", "\t", "\r", "\n",
            "\u0001", "\u007F", "é", "Chloé", "Héctor", "·", "€", "😀", "\uD800", "\uDC00", "★", "日本語", "~", "<Fran & Co>"};

    @Test
    void encodesLikeMimeUtilityOnRandomSubjects() throws Exception {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int round = 0; round < 5000; round++) {
            StringBuilder s = new StringBuilder();
            int len = rnd.nextInt(rnd.nextBoolean() ? 20 : 200);
            for (int i = 0; i < len; i++) {
                s.append(rnd.nextInt(3) == 0 ? PIECES[rnd.nextInt(PIECES.length)] : String.valueOf((char) ('a' + rnd.nextInt(26))));
            }
            String text = s.toString();
            assertThat(EncodedWords.encode(text)).as("seed %d, text %s", seed, text)
                    .isEqualTo(MimeUtility.encodeText(text, "UTF-8", null));
        }
    }

    @Test
    void leavesAsciiSubjectsAsTheyAre() {
        assertThat(EncodedWords.encode("Ann, 6 picks for your week")).isEqualTo("Ann, 6 picks for your week");
    }
}
