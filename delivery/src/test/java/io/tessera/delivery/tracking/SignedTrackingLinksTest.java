package io.tessera.delivery.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.tracking.SignedTrackingLinks.Kind;
import io.tessera.testkit.MutableClock;
import io.tessera.tracking.TrackingToken;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SignedTrackingLinksTest {
    static final Instant SENT = Instant.parse("2026-11-02T10:00:00Z");
    static final TrackingToken.Key K1 = new TrackingToken.Key("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final TrackingToken.Key K2 = new TrackingToken.Key("k2", "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
    static final byte[] OLD_KEY = "an-old-tracking-key-of-32-bytes!".getBytes(StandardCharsets.US_ASCII);
    static final SendKey KEY = new SendKey("autumn@2026-11-02", "p_1");

    final MutableClock clock = new MutableClock(SENT);
    final TrackingToken ring = new TrackingToken(List.of(K1), clock);
    final LegacyLinks legacy = new LegacyLinks(OLD_KEY, SENT.plus(Duration.ofDays(365)));
    final SignedTrackingLinks links = new SignedTrackingLinks(() -> "https://t.shop.example/", ring, Duration.ofDays(30), clock,
            Optional.of(legacy));

    /** (token, decoded u) of every click link, or (token, "") for the other kinds. */
    static List<String[]> links(String html, String kind) {
        Matcher m = Pattern.compile("https://t\\.shop\\.example/t/" + kind + "/([A-Za-z0-9_.-]+)(?:\\?u=([^\"]+))?").matcher(html);
        List<String[]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2) == null ? "" : URLDecoder.decode(m.group(2), StandardCharsets.UTF_8)});
        }
        return out;
    }

    @Test
    void wrapsEveryLinkAndEachRedirectsOnlyToItsOwnUrl() {
        String html = "<html><body><a href=\"https://shop.example/a?x=1&amp;y=2\">A</a> <a href=\"http://shop.example/b\">B</a></body></html>";
        String out = links.decorate(html, KEY, "m1@x");
        List<String[]> clicks = links(out, "c");
        assertThat(clicks).hasSize(2);
        assertThat(clicks.get(0)[1]).isEqualTo("https://shop.example/a?x=1&y=2");
        assertThat(links.verify(clicks.get(0)[0], Kind.CLICK, clicks.get(0)[1])).get()
                .extracting(SignedTrackingLinks.Claim::url).isEqualTo("https://shop.example/a?x=1&y=2");
        assertThat(links.verify(clicks.get(1)[0], Kind.CLICK, clicks.get(1)[1])).get()
                .extracting(SignedTrackingLinks.Claim::url).isEqualTo("http://shop.example/b");
        assertThat(links.verify(clicks.get(0)[0], Kind.CLICK, "https://evil.example/")).as("a changed u").isEmpty();
        assertThat(links.verify(clicks.get(0)[0], Kind.CLICK, clicks.get(1)[1])).as("another link's URL").isEmpty();
        assertThat(links.verify(clicks.get(0)[0], Kind.CLICK)).as("no u").isEmpty();
        assertThat(out).doesNotContain("href=\"https://shop.example");
        assertThat(links(out, "o")).hasSize(1);
        assertThat(out.indexOf("/t/o/")).isLessThan(out.indexOf("</body>"));
    }

    @Test
    void aUrlLinkedTwiceCarriesTheSameSignedLinkBothTimesAndOtherLinksTheirOwn() {
        String html = "<a href=\"https://shop.example/p/1?a=1&amp;b=2\"><img></a><a href=\"https://shop.example/p/2\">2</a>"
                + "<a href=\"https://shop.example/p/1?a=1&amp;b=2\">1</a>";
        List<String[]> clicks = links(links.decorate(html, KEY, "m1@x"), "c");
        assertThat(clicks).hasSize(3);
        assertThat(clicks.get(2)).containsExactly(clicks.get(0));
        assertThat(clicks.get(1)[0]).isNotEqualTo(clicks.get(0)[0]);
        assertThat(links.verify(clicks.get(2)[0], Kind.CLICK, clicks.get(2)[1])).get()
                .extracting(SignedTrackingLinks.Claim::url).isEqualTo("https://shop.example/p/1?a=1&b=2");
        assertThat(links.decorate(html, new SendKey("autumn@2026-11-02", "p_2"), "m2@x"))
                .as("memo is per message").doesNotContain(clicks.get(0)[0]);
    }

    @Test
    void aShortMessageDecoratedAfterALongOneOnTheSameThreadIsWhatItIsAlone() {
        String small = "<html><body><a href=\"https://shop.example/s\">s</a></body></html>";
        String alone = links.decorate(small, KEY, "m1@x");
        links.decorate("<html><body>" + "<a href=\"https://shop.example/long\">x</a>".repeat(2000) + "</body></html>", KEY, "m2@x");
        assertThat(links.decorate(small, KEY, "m1@x")).isEqualTo(alone);
    }

    @Test
    void trackingLinksCarryTheSameTokensAsOpenTimeUrlsWithTheSameKeyRingAndRotation() {
        String open = links(links.decorate("<p>x</p>", KEY, "m1@x"), "o").getFirst()[0];
        assertThat(ring.verify(open, TrackingToken.Purpose.OPEN, "")).isInstanceOfSatisfying(TrackingToken.Verdict.Valid.class, v -> {
            assertThat(v.claims().keyId()).isEqualTo("k1");
            assertThat(v.claims().profileId()).isEqualTo("p_1");
            assertThat(v.claims().messageId()).isEqualTo("m1@x");
            assertThat(v.claims().scope()).isEqualTo("autumn@2026-11-02");
            assertThat(v.claims().expiresAt()).isEqualTo(SENT.plus(Duration.ofDays(30)));
        });
        assertThat(ring.verify(open, TrackingToken.Purpose.FEED, "")).as("an open token opens no feed")
                .isEqualTo(new TrackingToken.Verdict.Invalid("wrong_purpose"));

        TrackingToken rotated = new TrackingToken(List.of(K2, K1), clock);
        SignedTrackingLinks afterRotation = new SignedTrackingLinks(() -> "https://t.shop.example", rotated, Duration.ofDays(30), clock,
                Optional.empty());
        assertThat(afterRotation.verify(open, Kind.OPEN)).as("signed with the older key, still listed").isPresent();
        String unsubscribe = afterRotation.unsubscribeUrl(KEY, "m2@x").orElseThrow();
        String token = unsubscribe.substring(unsubscribe.lastIndexOf('/') + 1);
        assertThat(rotated.verify(token, TrackingToken.Purpose.UNSUBSCRIBE, "")).isInstanceOfSatisfying(TrackingToken.Verdict.Valid.class,
                v -> assertThat(v.claims().keyId()).isEqualTo("k2"));
        assertThat(links.verify(token, Kind.UNSUBSCRIBE)).as("a node without the new key").isEmpty();
    }

    @Test
    void forgedTamperedExpiredOrWrongKindTokensAreRejected() {
        String click = links.token(Kind.CLICK, KEY, "m1@x", "https://shop.example/a");
        assertThat(links.verify(click, Kind.CLICK, "https://shop.example/a")).isPresent();
        assertThat(links.verify(click, Kind.UNSUBSCRIBE)).isEmpty();
        String evil = links.token(Kind.CLICK, KEY, "m1@x", "https://evil.example/");
        String spliced = evil.substring(0, evil.indexOf('.')) + click.substring(click.indexOf('.'));
        assertThat(links.verify(spliced, Kind.CLICK, "https://evil.example/")).isEmpty();
        SignedTrackingLinks otherRing = new SignedTrackingLinks(() -> "https://t.shop.example",
                new TrackingToken(List.of(new TrackingToken.Key("k1", new byte[32])), clock), Duration.ofDays(30), clock, Optional.empty());
        assertThat(otherRing.verify(click, Kind.CLICK, "https://shop.example/a")).isEmpty();
        assertThat(links.verify("not-a-token", Kind.OPEN)).isEmpty();
        assertThat(links.verify("!!!.???", Kind.OPEN)).isEmpty();
        assertThat(links.verify(click.substring(0, click.length() - 3), Kind.CLICK, "https://shop.example/a")).as("truncated").isEmpty();

        clock.set(SENT.plus(Duration.ofDays(30)));
        assertThat(links.verify(click, Kind.CLICK, "https://shop.example/a")).as("expired").isEmpty();
    }

    @Test
    void linksSentInTheOldFormatKeepWorkingUntilTheirAcceptanceEnds() {
        String oldClick = legacy.issue(Kind.CLICK, KEY, "m0@x", "https://shop.example/old");
        String oldUnsubscribe = legacy.issue(Kind.UNSUBSCRIBE, KEY, "m0@x", "");
        assertThat(links.verify(oldClick, Kind.CLICK, "ignored")).get().satisfies(c -> {
            assertThat(c.url()).isEqualTo("https://shop.example/old");
            assertThat(c.scope()).isEqualTo("autumn@2026-11-02");
            assertThat(c.profileId()).isEqualTo("p_1");
        });
        assertThat(links.verify(oldUnsubscribe, Kind.UNSUBSCRIBE)).isPresent();
        assertThat(links.verify(oldUnsubscribe, Kind.OPEN)).isEmpty();
        assertThat(new LegacyLinks(new byte[32], legacy.acceptedUntil()).issue(Kind.OPEN, KEY, "m0@x", ""))
                .satisfies(forged -> assertThat(links.verify(forged, Kind.OPEN)).isEmpty());
        SignedTrackingLinks withoutLegacy = new SignedTrackingLinks(() -> "https://t.shop.example", ring, Duration.ofDays(30), clock,
                Optional.empty());
        assertThat(withoutLegacy.verify(oldUnsubscribe, Kind.UNSUBSCRIBE)).isEmpty();

        clock.set(legacy.acceptedUntil().minusSeconds(1));
        assertThat(links.verify(oldUnsubscribe, Kind.UNSUBSCRIBE)).isPresent();
        clock.set(legacy.acceptedUntil());
        assertThat(links.verify(oldUnsubscribe, Kind.UNSUBSCRIBE)).isEmpty();
        assertThat(links.verify(oldClick, Kind.CLICK, "")).isEmpty();
    }

    @Test
    void unsubscribeUrlIsHttpsAndNamesTheRecipient() {
        String url = links.unsubscribeUrl(KEY, "m1@x").orElseThrow();
        assertThat(url).startsWith("https://t.shop.example/t/u/");
        assertThat(links.verify(url.substring(url.lastIndexOf('/') + 1), Kind.UNSUBSCRIBE)).get()
                .satisfies(c -> {
                    assertThat(c.profileId()).isEqualTo("p_1");
                    assertThat(c.scope()).isEqualTo("autumn@2026-11-02");
                });
    }

    @Test
    void rewritesExactlyTheLinksTheHrefPatternMatchesAndEncodesUAsUrlEncoderDoes() {
        SendKey key = KEY;
        String[] pieces = {"<a href=\"https://a.example/x?a=1&amp;b=2\">", "<a href=\"http://b.example\">", "href=\"https://\"",
                "href=\"ftp://c.example\"", "HREF=\"https://d.example\"", "href=\"https://e.example", "href=\"", "\"", "text ",
                "href='https://f.example'", "<a href=\"http://\">", "href=\"httpss://g\"", "</body>", "\n", "href=\"https://h.example/\nz\"",
                // non-Latin-1 text (the output must not depend on the string's internal coder) and URLs that need every kind of encoding
                "★ 4.8", "Grüße ", "href=\"https://i.example/ä ö?q=a b&amp;c=€~!'()\"", "href=\"https://j.example/😀\uD800:\uDC00x%20+\"",
                "href=\"https://k.example/A-Z_a.z*0~9\""};
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
                String url = m.group(1).replace("&amp;", "&");
                m.appendReplacement(expected, Matcher.quoteReplacement("href=\"https://t.shop.example/t/c/"
                        + links.token(Kind.CLICK, key, "m1", url) + "?u=" + java.net.URLEncoder.encode(url, StandardCharsets.UTF_8) + "\""));
            }
            m.appendTail(expected);
            String pixel = "<img src=\"https://t.shop.example/t/o/" + links.token(Kind.OPEN, key, "m1", "")
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
