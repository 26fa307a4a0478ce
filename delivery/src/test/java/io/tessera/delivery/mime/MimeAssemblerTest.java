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
}
