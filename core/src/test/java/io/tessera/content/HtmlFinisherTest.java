package io.tessera.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;

/** The finisher's attribute decoding is jsoup's, character for character, with or without its {@code &amp;} fast path. */
class HtmlFinisherTest {

    private static final String[] PIECES = {"https://shop.example/p?a=1", "&amp;", "&amp", "&AMP;", "&amp;amp;", "&lt;", "&gt",
            "&#38;", "&#x26;", "&quot;", "&nbsp;", "&", "&;", "amp;", "b=2", "é", "★", "😀", " ", "\"", "=", "&notit;", "&copy"};

    @Test
    void attributeValuesDecodeExactlyAsJsoupDecodesThem() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int round = 0; round < 5000; round++) {
            StringBuilder value = new StringBuilder();
            for (int i = rnd.nextInt(8); i > 0; i--) {
                value.append(PIECES[rnd.nextInt(PIECES.length)]);
            }
            String v = value.toString();
            assertThat(HtmlFinisher.attributeValue(v)).as("seed %d, value %s", seed, v).isEqualTo(Parser.unescapeEntities(v, true));
        }
    }

    @Test
    void aQueryStringWithOnlyAmpersandReferencesDecodesToItsUrl() {
        assertThat(HtmlFinisher.attributeValue("https://shop.example/new?utm_source=email&amp;utm_campaign=weekly&amp;uid=p1"))
                .isEqualTo("https://shop.example/new?utm_source=email&utm_campaign=weekly&uid=p1");
        assertThat(HtmlFinisher.attributeValue("https://shop.example/")).isEqualTo("https://shop.example/");
    }
}
