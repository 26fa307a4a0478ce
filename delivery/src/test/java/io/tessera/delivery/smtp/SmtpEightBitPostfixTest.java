package io.tessera.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.OutgoingMessage;
import io.tessera.delivery.mime.DkimSigner;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.testkit.TestPostfix;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8BITMIME (RFC 6152) and PIPELINING through a real Postfix, which advertises both: DKIM-signed
 * messages go out 8bit — a part with a line over 998 octets quoted-printable —, arrive whole,
 * decode to exactly what the quoted-printable path delivers, and their signatures verify
 * (dkimpy, Debian's python3-dkim, on the bytes Postfix stored).
 */
class SmtpEightBitPostfixTest {

    static final String HTML = "<html><body>\n<p>Hallo Jürgen, ★★★★☆ für 12,99 €</p>\n.a line that starts with a dot\n"
            + "<p>trailing blank </p>\n</body></html>\n";
    static final String LONG_LINE_HTML = "<html><body><p>" + "Grüße ".repeat(250) + "</p></body></html>";

    static OutgoingMessage message(String to, String html) {
        return new OutgoingMessage(to.replace('@', '.') + "@shop.example", "\"Shop\" <news@shop.example>", to,
                "Jürgen, deine Auswahl ✓", html, "Hallo Jürgen\n.dot line\n€ 12,99", Optional.empty(),
                Map.of("List-Unsubscribe", "<https://t.shop.example/t/u/tok>"));
    }

    @Test
    void eightBitMessagesArriveWholeDecodeLikeQuotedPrintableAndTheirDkimSignaturesVerify(@TempDir Path dir) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        MimeAssembler assembler = new MimeAssembler(InstantSource.fixed(Instant.parse("2026-11-29T18:00:00Z")),
                Optional.of(new DkimSigner("shop.example", "sel", keys.getPrivate())));
        try (TestPostfix relay = TestPostfix.started()) {
            SmtpSettings settings = SmtpSettings.of("127.0.0.1", relay.port()).withPool(1, 1);
            try (SmtpMailer eightBit = new SmtpMailer(settings, assembler);
                 SmtpMailer quotedPrintable = new SmtpMailer(settings.withEightBitMime(false), assembler)) {
                // the first message of a mailer goes quoted-printable: 8BITMIME is learned from its first connection
                for (String to : List.of("warmup@example.com", "short@example.com")) {
                    assertThat(eightBit.send(message(to, HTML), () -> { })).isInstanceOf(DeliveryVerdict.Delivered.class);
                }
                assertThat(eightBit.send(message("long@example.com", LONG_LINE_HTML), () -> { }))
                        .isInstanceOf(DeliveryVerdict.Delivered.class);
                assertThat(quotedPrintable.send(message("qp-short@example.com", HTML), () -> { }))
                        .isInstanceOf(DeliveryVerdict.Delivered.class);
                assertThat(quotedPrintable.send(message("qp-long@example.com", LONG_LINE_HTML), () -> { }))
                        .isInstanceOf(DeliveryVerdict.Delivered.class);
            }
            MimeMultipart shortParts = parts(mail(relay, "short@example.com"));
            MimeMultipart longParts = parts(mail(relay, "long@example.com"));
            assertThat(encodings(shortParts)).containsExactly("8bit", "8bit");
            assertThat(encodings(longParts)).containsExactly("8bit", "quoted-printable");
            assertThat(encodings(parts(mail(relay, "qp-short@example.com")))).containsExactly("quoted-printable", "quoted-printable");
            assertThat(contents(shortParts)).isEqualTo(contents(parts(mail(relay, "qp-short@example.com"))))
                    .containsExactly("Hallo Jürgen\r\n.dot line\r\n€ 12,99", HTML.replace("\n", "\r\n"));
            assertThat(contents(longParts)).isEqualTo(contents(parts(mail(relay, "qp-long@example.com"))));
            assertThat(contents(longParts).get(1)).isEqualTo(LONG_LINE_HTML);
            for (String to : List.of("short@example.com", "long@example.com", "qp-short@example.com")) {
                assertDkimVerifies(dir, mail(relay, to), keys);
            }
        }
    }

    /** The message as Postfix stored it, with the CRLF line ends of the wire (a Maildir file has LF). */
    static byte[] mail(TestPostfix relay, String to) {
        String text = relay.received().stream().filter(m -> m.deliveredTo().equals(to)).findFirst().orElseThrow().text();
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static MimeMultipart parts(byte[] raw) throws Exception {
        return (MimeMultipart) new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)).getContent();
    }

    static List<String> encodings(MimeMultipart parts) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < parts.getCount(); i++) {
            out.add(parts.getBodyPart(i).getHeader("Content-Transfer-Encoding")[0]);
        }
        return out;
    }

    static List<String> contents(MimeMultipart parts) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart p = parts.getBodyPart(i);
            out.add(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return out;
    }

    static void assertDkimVerifies(Path dir, byte[] raw, KeyPair keys) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            return; // the JDK-only signature check of DkimSignerTest still runs
        }
        Path eml = Files.createTempFile(dir, "got", ".eml");
        Files.write(eml, raw);
        String pub = Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
        Process p = new ProcessBuilder(python.toString(), "-c", "import sys, dkim\n"
                + "print(dkim.verify(open(sys.argv[1],'rb').read(), dnsfunc=lambda n, timeout=5: b'v=DKIM1; k=rsa; p=" + pub + "'))",
                eml.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!out.contains("No module named")) {
            assertThat(out).as("dkimpy on what Postfix stored").endsWith("True");
        }
    }
}
