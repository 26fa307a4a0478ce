package io.tessera.delivery.smtp;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus' SMTP transport with the send of one message to one recipient made ours where it costs:
 *
 * <ul>
 *   <li><b>Pipelining</b> (RFC 2920), when the relay advertises PIPELINING:
 *       MAIL FROM, RCPT TO and DATA go out in one write and their three replies are read together,
 *       then the body and the final "." — two round trips per message instead of four
 *       (docs/adr/0005-smtp-pipelining-and-8bitmime.md). Each reply is still checked on its own (below).</li>
 *   <li><b>The body in one pass</b>: the bytes between DATA's 354 and the final "." are written
 *       by {@link DotStuffedBody} straight to the socket instead of through Angus' byte-at-a-time
 *       {@code SMTPOutputStream} (docs/adr/0004-smtp-write-path.md).</li>
 *   <li><b>BODY=8BITMIME</b> on MAIL FROM when the message is 8bit (RFC 6152), on both paths.</li>
 * </ul>
 *
 * "The socket" is the connection's plain socket, or after STARTTLS the TLS socket
 * ({@link StartTlsSocketFactory}); when neither is known (a socket factory not ours), Angus' own
 * dialogue and stream are used. Angus still does everything else: connect, EHLO, STARTTLS, AUTH,
 * and the whole un-pipelined dialogue with a relay without PIPELINING.
 *
 * <p>The pipelined group's replies, in order (RFC 2920 §3.1: every reply of the group is read and
 * checked, whatever the first said): MAIL not 2xx — the transaction failed with MAIL's reply; RCPT
 * not 2xx — the recipient failed with RCPT's reply ({@link SMTPAddressFailedException}, as Angus
 * reports it); DATA not 354 — failed with DATA's reply. If a relay answered DATA with 354 although
 * MAIL or RCPT failed (RFC 2920 asks for 554 "no valid recipients"; not every server obeys), an
 * empty message is ended at once with "." — its reply is read and ignored: it has no recipient —
 * and no byte of the real message is sent. After any failure in the group the transaction is
 * reset with RSET, so a connection the caller reuses (after a 5xx) starts clean; if the RSET
 * fails, {@link #broken()} says so and the caller closes the connection. A reply that never comes
 * (EOF, reset, timeout) is reported as Angus reports it, {@link SMTPSendFailedException} with
 * code -1 or a {@link MessagingException} — a connection lost before the commit point.
 *
 * <p>Ordering and the commit point: Angus flushes its buffered stream after every command, so
 * when a command returns nothing of Angus' is pending and our socket writes follow it on the
 * wire. The message's {@code writeTo} writes the whole body and then calls the {@code CommitPoint};
 * the "." goes out after it, so a message whose "." was never written was certainly not accepted.
 *
 * <p>Same threading as {@link SMTPTransport}: one sender at a time (its methods synchronize on it).
 */
final class DirectDataTransport extends SMTPTransport {

    private final NoDelaySocketFactory sockets;
    private final StartTlsSocketFactory tlsSockets;
    private DotStuffedBody body;
    private String mailParameters = "";
    private boolean broken;

    /**
     * @param sockets    this connection's own socket factory (it made, and remembers, the plain socket)
     * @param tlsSockets this connection's own STARTTLS socket factory (set as {@code mail.smtp.ssl.socketFactory})
     */
    DirectDataTransport(Session session, URLName url, NoDelaySocketFactory sockets, StartTlsSocketFactory tlsSockets) {
        super(session, url);
        this.sockets = sockets;
        this.tlsSockets = tlsSockets;
    }

    /** The socket the dialogue runs on now: the TLS one after STARTTLS, else the plain one. */
    private Optional<Socket> wire() {
        return isSSL() ? tlsSockets.lastSocket() : sockets.lastSocket();
    }

    /** Whether the relay accepts 8bit message bodies (it advertised 8BITMIME in its EHLO reply). */
    boolean accepts8BitMime() {
        return supportsExtension("8BITMIME");
    }

    /** Whether the next send goes pipelined: the relay advertised PIPELINING and we know the socket. */
    synchronized boolean pipelines() {
        return wire().isPresent() && supportsExtension("PIPELINING");
    }

    /** Whether a failed transaction could not be reset: the connection must not be reused. */
    synchronized boolean broken() {
        return broken;
    }

    /**
     * Sends {@code message} from {@code from} to {@code to}: pipelined when {@link #pipelines()},
     * through Angus' {@code sendMessage} otherwise. Throws what Angus throws for the same replies.
     */
    synchronized void send(SmtpMailer.RawMessage message, InternetAddress from, InternetAddress to,
                           boolean eightBit) throws MessagingException {
        mailParameters = eightBit ? " BODY=8BITMIME" : "";
        try {
            if (pipelines()) {
                sendPipelined(message, from, to);
            } else {
                sendMessage(message, new Address[] {to});
            }
        } finally {
            mailParameters = "";
        }
    }

    private void sendPipelined(SmtpMailer.RawMessage message, InternetAddress from, InternetAddress to)
            throws MessagingException {
        // straight to the socket: Angus refuses a command with a line break in it, and has nothing
        // buffered (it flushes after each command)
        writeToSocket(("MAIL FROM:<" + from.getAddress() + ">" + mailParameters
                + "\r\nRCPT TO:<" + to.getAddress() + ">\r\nDATA\r\n").getBytes(StandardCharsets.US_ASCII));
        Reply mail = read();
        Reply rcpt = mail.code() < 0 ? mail : read();
        Reply data = rcpt.code() < 0 ? rcpt : read();
        if (mail.positive() && rcpt.positive() && data.code() == 354) {
            writeBody(message);
            return;
        }
        if (data.code() == 354) {
            sendCommand("."); // an empty message to nobody: end it, never send the real one
            read();
        }
        reset(mail, rcpt, data);
        if (!mail.positive()) {
            throw new SMTPSendFailedException("MAIL FROM", mail.code(), mail.text(), null, null, null, null);
        }
        if (!rcpt.positive()) {
            if (rcpt.code() < 0) {
                throw new SMTPSendFailedException("RCPT TO", -1, rcpt.text(), null, null, null, null);
            }
            throw new SMTPAddressFailedException(to, "RCPT TO", rcpt.code(), rcpt.text());
        }
        throw new SMTPSendFailedException("DATA", data.code(), data.text(), null, null, null, new Address[] {to});
    }

    private void writeToSocket(byte[] bytes) throws MessagingException {
        try {
            wire().orElseThrow().getOutputStream().write(bytes);
        } catch (IOException e) {
            throw new MessagingException("cannot write to the SMTP connection", e);
        }
    }

    private void writeBody(SmtpMailer.RawMessage message) throws MessagingException {
        try {
            DotStuffedBody dotStuffed = new DotStuffedBody(wire().orElseThrow().getOutputStream());
            message.writeTo(dotStuffed);
            dotStuffed.endAtLineStart();
        } catch (IOException e) {
            throw new MessagingException("cannot write the message to the SMTP connection", e);
        }
        sendCommand(".");
        Reply end = read();
        if (end.code() != 250) {
            throw new SMTPSendFailedException(".", end.code(), end.text(), null, null, null, null);
        }
    }

    /** After a failed group: RSET unless the connection is gone already (then it is broken either way). */
    private void reset(Reply... replies) {
        for (Reply r : replies) {
            if (r.code() < 0 || r.code() == 421) {
                broken = true;
                return;
            }
        }
        try {
            sendCommand("RSET");
            broken = read().code() != 250;
        } catch (MessagingException e) {
            broken = true;
        }
    }

    /** One reply; code -1 when the connection ended or failed instead (as Angus reports a missing reply). */
    private Reply read() {
        try {
            int code = readServerResponse();
            String text = getLastServerResponse();
            return new Reply(code, text == null ? "" : text.strip());
        } catch (MessagingException e) {
            return new Reply(-1, "no reply: " + e.getMessage());
        }
    }

    private record Reply(int code, String text) {
        boolean positive() {
            return code >= 200 && code < 300;
        }
    }

    @Override
    protected void sendCommand(String cmd) throws MessagingException {
        // Angus' own (un-pipelined) MAIL FROM gets the body type too
        super.sendCommand(!mailParameters.isEmpty() && cmd.startsWith("MAIL FROM:") ? cmd + mailParameters : cmd);
    }

    @Override
    protected OutputStream data() throws MessagingException {
        OutputStream angus = super.data();
        Optional<Socket> socket = wire();
        body = null;
        if (socket.isEmpty()) {
            return angus;
        }
        try {
            body = new DotStuffedBody(socket.get().getOutputStream());
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
