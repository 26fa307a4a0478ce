package io.tessera.delivery.mime;

import io.tessera.delivery.OutgoingMessage;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Turns an {@link OutgoingMessage} into RFC 5322 bytes (CRLF line ends), DKIM-signed when a
 * signer is configured.
 *
 * <p>Structure: {@code multipart/alternative} with {@code text/plain}, then {@code text/x-amp-html}
 * when present, then {@code text/html} last — the order AMP for Email requires (clients show the
 * last part they understand, so HTML must come after AMP). Extra headers (List-Unsubscribe,
 * List-Unsubscribe-Post …) are copied in order; Message-ID is the message's own, not Jakarta
 * Mail's generated one. Thread-safe (the session is shared, messages are not).
 */
public final class MimeAssembler {

    private final Session session = Session.getInstance(new Properties());
    private final InstantSource clock;
    private final Optional<DkimSigner> dkim;

    public MimeAssembler(InstantSource clock, Optional<DkimSigner> dkim) {
        this.clock = clock;
        this.dkim = dkim;
    }

    public byte[] assemble(OutgoingMessage m) {
        try {
            MimeMessage mime = new FixedIdMessage(session, m.messageId());
            mime.setFrom(new InternetAddress(m.from()));
            mime.setRecipients(jakarta.mail.Message.RecipientType.TO, InternetAddress.parse(m.to(), false));
            mime.setSubject(m.subject(), "UTF-8");
            mime.setSentDate(Date.from(clock.instant()));
            for (Map.Entry<String, String> h : m.headers().entrySet()) {
                mime.setHeader(h.getKey(), h.getValue());
            }
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(part(m.text(), "text/plain; charset=UTF-8"));
            if (m.amp().isPresent()) {
                alternative.addBodyPart(part(m.amp().get(), "text/x-amp-html; charset=UTF-8"));
            }
            alternative.addBodyPart(part(m.html(), "text/html; charset=UTF-8"));
            mime.setContent(alternative);
            mime.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream(m.html().length() + m.text().length() + 2048);
            mime.writeTo(out);
            byte[] raw = out.toByteArray();
            return dkim.map(s -> s.sign(raw)).orElse(raw);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("cannot assemble message " + m.messageId() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MimeBodyPart part(String content, String type) throws MessagingException {
        MimeBodyPart p = new MimeBodyPart();
        p.setContent(content, type);
        // quoted-printable keeps long HTML lines within RFC 5322's 998-octet limit and stays readable
        p.setHeader("Content-Transfer-Encoding", "quoted-printable");
        return p;
    }

    /** The plain bytes of a string in the message's charset; for tests and size estimates. */
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A MimeMessage whose Message-ID is ours (deterministic per campaign and profile). */
    private static final class FixedIdMessage extends MimeMessage {
        private final String id;

        FixedIdMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<" + id + ">");
        }
    }
}
