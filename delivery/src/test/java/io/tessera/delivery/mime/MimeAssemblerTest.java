package io.tessera.delivery.mime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.OutgoingMessage;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MimeAssemblerTest {

    static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-02T09:00:00Z"));

    static OutgoingMessage sample(Optional<String> amp) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("List-Unsubscribe", "<https://t.shop.example/t/u/tok123>, <mailto:unsubscribe@shop.example>");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        headers.put("X-Tessera-Campaign", "autumn");
        return new OutgoingMessage("autumn.p_1.abc@shop.example", "\"Shop\" <news@shop.example>", "ann@example.com",
                "Ann, your picks — 20% off ✓", "<html><body><p>Hello Ann &amp; friends</p>" + "x".repeat(1200) + "</body></html>",
                "Hello Ann & friends", amp, headers);
    }

    static MimeMessage parse(byte[] raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    }

    @Test
    void parsesBackWithTextThenHtmlPartsIntact() throws Exception {
        byte[] raw = new MimeAssembler(CLOCK, Optional.empty()).assemble(sample(Optional.empty()));
        MimeMessage m = parse(raw);

        assertThat(m.getSubject()).isEqualTo("Ann, your picks — 20% off ✓");
        assertThat(m.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) m.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(0).getContent()).isEqualTo("Hello Ann & friends");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat((String) parts.getBodyPart(1).getContent()).contains("Hello Ann &amp; friends").contains("x".repeat(1200));
    }

    @Test
    void putsAmpBetweenTextAndHtmlAsAmpForEmailRequires() throws Exception {
        MimeMessage m = parse(new MimeAssembler(CLOCK, Optional.empty())
                .assemble(sample(Optional.of("<!doctype html><html ⚡4email><body>amp</body></html>"))));
        MimeMultipart parts = (MimeMultipart) m.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        BodyPart amp = parts.getBodyPart(1);
        assertThat(amp.getContentType()).startsWith("text/x-amp-html");
        assertThat(new String(amp.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("⚡4email");
        assertThat(parts.getBodyPart(2).getContentType()).startsWith("text/html");
    }

    @Test
    void carriesOurMessageIdAndOneClickUnsubscribeHeaders() throws Exception {
        byte[] raw = new MimeAssembler(CLOCK, Optional.empty()).assemble(sample(Optional.empty()));
        MimeMessage m = parse(raw);
        assertThat(m.getMessageID()).isEqualTo("<autumn.p_1.abc@shop.example>");
        assertThat(jakarta.mail.internet.MimeUtility.unfold(m.getHeader("List-Unsubscribe", null))).isEqualTo("<https://t.shop.example/t/u/tok123>, <mailto:unsubscribe@shop.example>");
        assertThat(m.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(m.getSentDate().toInstant()).isEqualTo(Instant.parse("2026-11-02T09:00:00Z"));
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        assertThat(text.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
        assertThat(text).doesNotContain("\n\n").contains("\r\n\r\n");
    }

    static String contentOf(BodyPart part) throws Exception {
        return new String(part.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    static MimeMultipart parts(byte[] raw) throws Exception {
        return (MimeMultipart) parse(raw).getContent();
    }

    @Test
    void eightBitPartsDecodeToTheSameTextAndALineOver998OctetsKeepsItsPartQuotedPrintable() throws Exception {
        MimeAssembler assembler = new MimeAssembler(CLOCK, Optional.empty());
        OutgoingMessage m = sample(Optional.of("<!doctype html><html ⚡4email>\n<body>amp</body></html>"));
        byte[] eightBit = assembler.assemble(m, MimeAssembler.TransferEncoding.EIGHT_BIT);
        byte[] qp = assembler.assemble(m);
        MimeMultipart got = parts(eightBit);
        MimeMultipart expected = parts(qp);
        assertThat(got.getBodyPart(0).getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
        assertThat(got.getBodyPart(1).getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
        assertThat(got.getBodyPart(2).getHeader("Content-Transfer-Encoding"))
                .as("the HTML has a 1,200-octet line").containsExactly("quoted-printable");
        for (int i = 0; i < 3; i++) {
            assertThat(contentOf(got.getBodyPart(i))).isEqualTo(contentOf(expected.getBodyPart(i)));
        }
        assertThat(new String(eightBit, StandardCharsets.UTF_8)).contains("⚡4email");
        assertThat(new String(eightBit, StandardCharsets.ISO_8859_1).split("\r\n"))
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
    }

    @Test
    void aPartThatCouldHoldABoundaryLineStaysQuotedPrintable() throws Exception {
        OutgoingMessage m = new OutgoingMessage("b@shop.example", "news@shop.example", "ann@example.com", "s",
                "<p>x</p>\n--=_tessera_0_0--\n", "plain", Optional.empty(), Map.of());
        MimeMultipart got = parts(new MimeAssembler(CLOCK, Optional.empty()).assemble(m, MimeAssembler.TransferEncoding.EIGHT_BIT));
        assertThat(got.getCount()).isEqualTo(2);
        assertThat(got.getBodyPart(0).getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
        assertThat(got.getBodyPart(1).getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
        assertThat(contentOf(got.getBodyPart(1))).isEqualTo("<p>x</p>\r\n--=_tessera_0_0--\r\n");
    }

    @Test
    void randomTextsReadBackTheSameFromEightBitAndQuotedPrintable() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String[] pieces = {"a", "Z", " ", "\t", ".", "..", "=", "\r", "\n", "\r\n", "é", "€", "★", "😀", "\uD800",
                "<td>", "&amp;", "x".repeat(400)};
        MimeAssembler assembler = new MimeAssembler(CLOCK, Optional.empty());
        for (int n = 0; n < 200; n++) {
            StringBuilder html = new StringBuilder();
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(60); k > 0; k--) {
                html.append(pieces[random.nextInt(pieces.length)]);
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            boolean noCarriageReturns = n % 2 == 0; // the common case, and a different path
            OutgoingMessage m = new OutgoingMessage("r" + n + "@shop.example", "news@shop.example", "ann@example.com", "s",
                    noCarriageReturns ? html.toString().replace("\r", "") : html.toString(),
                    noCarriageReturns ? text.toString().replace("\r", "") : text.toString(), Optional.empty(), Map.of());
            byte[] raw = assembler.assemble(m, MimeAssembler.TransferEncoding.EIGHT_BIT);
            MimeMultipart got = parts(raw);
            MimeMultipart expected = parts(assembler.assemble(m));
            for (int i = 0; i < 2; i++) {
                assertThat(contentOf(got.getBodyPart(i))).as("seed %d, message %d, part %d", seed, n, i)
                        .isEqualTo(contentOf(expected.getBodyPart(i)));
            }
            assertThat(new String(raw, StandardCharsets.ISO_8859_1)).as("seed %d: only CRLF line ends", seed)
                    .doesNotContainPattern("\r(?!\n)|(?<!\r)\n");
        }
    }

    @Test
    void aLoneSurrogateAtTheEndOfALineOrOfThePartIsAQuestionMarkIn8bitAsInQuotedPrintable() throws Exception {
        MimeAssembler assembler = new MimeAssembler(CLOCK, Optional.empty());
        OutgoingMessage m = new OutgoingMessage("s@shop.example", "news@shop.example", "ann@example.com", "s",
                "<p>a\uD800\nb\uDC00c\uD83D\uDE00\n\uD800", "x\uD83D\ny\uD83D", Optional.empty(), Map.of());
        MimeMultipart got = parts(assembler.assemble(m, MimeAssembler.TransferEncoding.EIGHT_BIT));
        MimeMultipart expected = parts(assembler.assemble(m));
        assertThat(got.getBodyPart(1).getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
        assertThat(contentOf(got.getBodyPart(0))).isEqualTo("x?\r\ny?").isEqualTo(contentOf(expected.getBodyPart(0)));
        assertThat(contentOf(got.getBodyPart(1))).isEqualTo("<p>a?\r\nb?c\uD83D\uDE00\r\n?").isEqualTo(contentOf(expected.getBodyPart(1)));
    }

    @Test
    void aLineOf998OctetsIsStill8bitAndOneOf999IsNot() throws Exception {
        MimeAssembler assembler = new MimeAssembler(CLOCK, Optional.empty());
        String fits = "é".repeat(499); // 998 octets in UTF-8, 499 chars
        OutgoingMessage m = new OutgoingMessage("l@shop.example", "news@shop.example", "ann@example.com", "s",
                "<p>\n" + fits + "a\n</p>", fits + "\nshort", Optional.empty(), Map.of());
        MimeMultipart got = parts(assembler.assemble(m, MimeAssembler.TransferEncoding.EIGHT_BIT));
        assertThat(got.getBodyPart(0).getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
        assertThat(got.getBodyPart(1).getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
        assertThat(contentOf(got.getBodyPart(0))).isEqualTo(fits + "\r\nshort");
        assertThat(contentOf(got.getBodyPart(1))).isEqualTo("<p>\r\n" + fits + "a\r\n</p>");
    }
}
