package io.tessera.delivery.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.tracking.SignedTrackingLinks.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SignedTrackingLinksTest {

    static final SignedTrackingLinks LINKS = new SignedTrackingLinks("https://t.shop.example",
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final SendKey KEY = new SendKey("autumn", "p_1");

    static List<String> tokens(String html, String kind) {
        Matcher m = Pattern.compile("https://t\\.shop\\.example/t/" + kind + "/([A-Za-z0-9_.-]+)").matcher(html);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void wrapsEveryLinkAndEachRedirectsOnlyToItsOwnUrl() {
        String html = "<html><body><a href=\"https://shop.example/a?x=1&amp;y=2\">A</a> <a href=\"http://shop.example/b\">B</a></body></html>";
        String out = LINKS.decorate(html, KEY, "m1@x");
        List<String> clicks = tokens(out, "c");
        assertThat(clicks).hasSize(2);
        assertThat(LINKS.verify(clicks.get(0), Kind.CLICK)).get().extracting(SignedTrackingLinks.Claim::url)
                .isEqualTo("https://shop.example/a?x=1&y=2");
        assertThat(LINKS.verify(clicks.get(1), Kind.CLICK)).get().extracting(SignedTrackingLinks.Claim::url)
                .isEqualTo("http://shop.example/b");
        assertThat(out).doesNotContain("href=\"https://shop.example");
        assertThat(tokens(out, "o")).hasSize(1);
        assertThat(out.indexOf("/t/o/")).isLessThan(out.indexOf("</body>"));
    }

    @Test
    void forgedTamperedOrWrongKindTokensAreRejected() {
        String click = LINKS.token(Kind.CLICK, KEY, "m1@x", "https://shop.example/a");
        assertThat(LINKS.verify(click, Kind.CLICK)).isPresent();
        assertThat(LINKS.verify(click, Kind.UNSUBSCRIBE)).isEmpty();
        String evil = LINKS.token(Kind.CLICK, KEY, "m1@x", "https://evil.example/");
        String spliced = evil.substring(0, evil.indexOf('.')) + click.substring(click.indexOf('.'));
        assertThat(LINKS.verify(spliced, Kind.CLICK)).isEmpty();
        SignedTrackingLinks otherKey = new SignedTrackingLinks("https://t.shop.example", new byte[32]);
        assertThat(otherKey.verify(click, Kind.CLICK)).isEmpty();
        assertThat(LINKS.verify("not-a-token", Kind.OPEN)).isEmpty();
        assertThat(LINKS.verify("!!!.???", Kind.OPEN)).isEmpty();
    }

    @Test
    void unsubscribeUrlIsHttpsAndNamesTheRecipient() {
        String url = LINKS.unsubscribeUrl(KEY, "m1@x").orElseThrow();
        assertThat(url).startsWith("https://t.shop.example/t/u/");
        assertThat(LINKS.verify(url.substring(url.lastIndexOf('/') + 1), Kind.UNSUBSCRIBE)).get()
                .satisfies(c -> {
                    assertThat(c.profileId()).isEqualTo("p_1");
                    assertThat(c.scope()).isEqualTo("autumn");
                });
    }

    @Test
    void rewritesExactlyTheLinksTheHrefPatternMatches() {
        SignedTrackingLinks links = new SignedTrackingLinks("https://t.example", "0123456789abcdef".getBytes(StandardCharsets.UTF_8));
        SendKey key = new SendKey("c1", "p1");
        String[] pieces = {"<a href=\"https://a.example/x?a=1&amp;b=2\">", "<a href=\"http://b.example\">", "href=\"https://\"",
                "href=\"ftp://c.example\"", "HREF=\"https://d.example\"", "href=\"https://e.example", "href=\"", "\"", "text ",
                "href='https://f.example'", "<a href=\"http://\">", "href=\"httpss://g\"", "</body>", "\n", "href=\"https://h.example/\nz\""};
        Pattern href = Pattern.compile("href=\"(https?://[^\"]+)\"");
        long seed = System.nanoTime();
        java.util.Random rnd = new java.util.Random(seed);
        for (int round = 0; round < 500; round++) {
            StringBuilder html = new StringBuilder();
            for (int i = rnd.nextInt(20); i > 0; i--) {
                html.append(pieces[rnd.nextInt(pieces.length)]);
            }
            Matcher m = href.matcher(html);
            StringBuilder expected = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(expected, Matcher.quoteReplacement("href=\"https://t.example/t/c/"
                        + links.token(Kind.CLICK, key, "m1", m.group(1).replace("&amp;", "&")) + "\""));
            }
            m.appendTail(expected);
            String pixel = "<img src=\"https://t.example/t/o/" + links.token(Kind.OPEN, key, "m1", "")
                    + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">";
            int body = expected.lastIndexOf("</body>");
            if (body >= 0) {
                expected.insert(body, pixel);
            } else {
                expected.append(pixel);
            }
            assertThat(links.decorate(html.toString(), key, "m1")).as("seed %d: %s", seed, html).isEqualTo(expected.toString());
        }
    }
}
