package io.tessera.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.OutgoingMessage;
import io.tessera.delivery.mime.DkimSigner;
import io.tessera.delivery.mime.MimeAssembler;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The happy path against GreenMail, a real SMTP server, with AUTH; asserts what it received. */
class SmtpMailerTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP)
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("relay-user", "relay-secret"));

    static OutgoingMessage message(String to) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("List-Unsubscribe", "<https://t.shop.example/t/u/tok>, <mailto:unsubscribe@shop.example>");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return new OutgoingMessage("c1.p1.x@shop.example", "\"Shop\" <news@shop.example>", to, "Hi Ann",
                "<p>Hi <b>Ann</b></p>\r\n.leading dot line", "Hi Ann\r\n.leading dot line", Optional.empty(), headers);
    }

    @Test
    void relayReceivesBothPartsDkimSignatureAndOneClickUnsubscribe(@TempDir Path dir) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        MimeAssembler assembler = new MimeAssembler(InstantSource.fixed(Instant.parse("2026-11-02T09:00:00Z")),
                Optional.of(new DkimSigner("shop.example", "sel", keys.getPrivate())));
        AtomicInteger commits = new AtomicInteger();
        try (SmtpMailer mailer = new SmtpMailer(SmtpSettings.of("127.0.0.1", greenMail.getSmtp().getPort())
                .withAuth("relay-user", "relay-secret"), assembler)) {
            DeliveryVerdict v = mailer.send(message("ann@example.com"), commits::incrementAndGet);
            assertThat(v).isInstanceOf(DeliveryVerdict.Delivered.class);
        }
        assertThat(commits).hasValue(1);
        MimeMessage[] got = greenMail.getReceivedMessages();
        assertThat(got).hasSize(1);
        MimeMessage m = got[0];
        assertThat(m.getMessageID()).isEqualTo("<c1.p1.x@shop.example>");
        assertThat(m.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(m.getHeader("List-Unsubscribe", null)).contains("https://t.shop.example/t/u/tok");
        assertThat(m.getHeader("DKIM-Signature", null)).contains("d=shop.example").contains("s=sel");
        MimeMultipart parts = (MimeMultipart) m.getContent();
        assertThat(parts.getBodyPart(0).getContent()).isEqualTo("Hi Ann\r\n.leading dot line");
        assertThat((String) parts.getBodyPart(1).getContent()).contains("<b>Ann</b>").contains(".leading dot line");

        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        m.writeTo(raw);
        Path python = Path.of("/usr/bin/python3");
        if (Files.isExecutable(python)) {
            Path eml = dir.resolve("got.eml");
            Files.write(eml, raw.toByteArray());
            String pub = Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
            Process p = new ProcessBuilder(python.toString(), "-c", "import sys, dkim\n"
                    + "print(dkim.verify(open(sys.argv[1],'rb').read(), dnsfunc=lambda n, timeout=5: b'v=DKIM1; k=rsa; p=" + pub + "'))",
                    eml.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!out.contains("No module named")) {
                assertThat(out).as("dkimpy on what the relay received").endsWith("True");
            }
        }
    }
}
