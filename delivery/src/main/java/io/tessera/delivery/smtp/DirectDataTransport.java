package io.tessera.delivery.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Optional;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus' SMTP transport with one part replaced: on a plain (not TLS) connection the message
 * between DATA's 354 and the final "." is written by {@link DotStuffedBody} straight to the
 * connection's socket instead of through Angus' byte-at-a-time {@code SMTPOutputStream}. Angus
 * still sends DATA and checks its 354, writes the "." and reads the reply, and does everything
 * else (EHLO, STARTTLS, AUTH, MAIL, RCPT, error replies). Over TLS the socket Angus writes to is
 * not the plain one we made, so its own stream is used unchanged.
 *
 * <p>Ordering: Angus flushes its buffered stream after every command, so when {@code data()}
 * returns nothing of Angus' is pending and the body's bytes follow DATA on the wire; the "." goes
 * out through Angus' stream after {@link #finishData()} has ended the last line. The commit point
 * of {@link SmtpMailer} is unchanged: the body is on the socket when {@code writeTo} returns.
 *
 * <p>Same threading as {@link SMTPTransport}: one sender at a time (its methods synchronize on it).
 */
final class DirectDataTransport extends SMTPTransport {

    private final NoDelaySocketFactory sockets;
    private DotStuffedBody body;

    /** @param sockets this connection's own socket factory (it made, and remembers, the plain socket) */
    DirectDataTransport(Session session, URLName url, NoDelaySocketFactory sockets) {
        super(session, url);
        this.sockets = sockets;
    }

    @Override
    protected OutputStream data() throws MessagingException {
        OutputStream angus = super.data();
        Optional<Socket> plain = sockets.lastSocket();
        body = null;
        if (isSSL() || plain.isEmpty()) {
            return angus;
        }
        try {
            body = new DotStuffedBody(plain.get().getOutputStream());
            return body;
        } catch (IOException e) {
            throw new MessagingException("cannot write to the SMTP connection", e);
        }
    }

    @Override
    protected void finishData() throws IOException, MessagingException {
        if (body != null) {
            body.endAtLineStart();
            body = null;
        }
        super.finishData();
    }
}
