package io.tessera.delivery.smtp;

import io.tessera.delivery.CommitPoint;
import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.Mailer;
import io.tessera.delivery.OutgoingMessage;
import io.tessera.delivery.mime.MimeAssembler;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends through one SMTP relay with a pool of reusable connections (STARTTLS and AUTH when
 * configured), at most {@code perDomainConcurrency} messages per recipient domain in flight,
 * retries with exponential backoff on 4xx replies and broken connections, and a permanent
 * failure on 5xx.
 *
 * <p>A connection that got a 4xx is closed, not returned to the pool: the retry opens a new
 * session, because relays decide per session — Postfix keeps the access maps a session started
 * with until it ends (a cleared 4xx would be repeated for ever on the old one), greylisting and
 * rate limits are evaluated per connection, and 421 means the relay is closing it anyway.
 *
 * <p>Implementation notes. Reads time out by the socket's SO_TIMEOUT ({@code mail.smtp.timeout});
 * a write that blocks longer than the same timeout (a relay that stopped reading) is ended by the
 * {@link WriteWatchdog} closing the socket. Connections are Angus' {@link SMTPTransport} with the
 * send of a message made ours ({@link DirectDataTransport}): MAIL, RCPT and DATA pipelined when
 * the relay advertises PIPELINING, the body written in one pass, and 8bit parts with
 * {@code BODY=8BITMIME} when it advertises 8BITMIME (learned from the connections opened; until
 * the first one, and on a connection without it, quoted-printable). A pipelined transaction that
 * failed is reset with RSET before its connection is reused. The pool is a bounded queue of connected {@link SMTPTransport}s,
 * created lazily up to {@code connections}; a connection that failed at the socket level is
 * closed and not returned. Each message is assembled once (MIME + DKIM) and streamed as raw
 * bytes by {@link RawMessage}, whose {@code writeTo} calls the {@link CommitPoint} after the body
 * and before Jakarta Mail writes the final {@code "."}: until then the relay cannot have
 * accepted the message. If the connection breaks after that point there is no way to know
 * whether the relay accepted it, so the message is NOT retried (at most once) and the verdict is
 * {@link DeliveryVerdict.Delivered} with an "unconfirmed" reply; the ledger keeps it COMMITTING.
 * Thread-safe: any number of callers; each call holds one connection and one domain permit.
 */
public final class SmtpMailer implements Mailer {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpMailer.class);

    private final SmtpSettings settings;
    private final MimeAssembler assembler;
    private final Session session;
    private final BlockingQueue<DirectDataTransport> idle;
    private final Semaphore connectionPermits;
    private final ConcurrentHashMap<String, Semaphore> domainPermits = new ConcurrentHashMap<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final WriteWatchdog watchdog;
    private final Properties properties;
    /** Whether the relay advertised 8BITMIME (and the settings allow 8bit): learned from each connection opened. */
    private volatile boolean relayTakes8Bit;

    public SmtpMailer(SmtpSettings settings, MimeAssembler assembler) {
        this.settings = settings;
        this.assembler = assembler;
        Properties p = new Properties();
        p.put("mail.smtp.host", settings.host());
        p.put("mail.smtp.port", String.valueOf(settings.port()));
        p.put("mail.smtp.connectiontimeout", String.valueOf(settings.timeout().toMillis()));
        p.put("mail.smtp.timeout", String.valueOf(settings.timeout().toMillis()));
        // no mail.smtp.writetimeout: Angus would schedule a timer task around every socket write;
        // the watchdog bounds a stuck write as well at a fraction of the cost (see WriteWatchdog)
        p.put("mail.smtp.auth", String.valueOf(settings.username().isPresent()));
        p.put("mail.smtp.starttls.enable", String.valueOf(settings.startTls()));
        p.put("mail.smtp.starttls.required", String.valueOf(settings.startTls()));
        p.put("mail.smtp.localhost", "tessera.localdomain");
        this.watchdog = new WriteWatchdog(settings.timeout());
        p.put("mail.smtp.socketFactory.fallback", "false");
        this.properties = p;
        this.session = Session.getInstance(p);
        this.idle = new ArrayBlockingQueue<>(settings.connections());
        this.connectionPermits = new Semaphore(settings.connections());
    }

    @Override
    public DeliveryVerdict send(OutgoingMessage message, CommitPoint commit) {
        boolean eightBit = relayTakes8Bit;
        byte[] raw = assembler.assemble(message, encoding(eightBit));
        Semaphore domain = domainPermits.computeIfAbsent(message.recipientDomain(),
                d -> new Semaphore(settings.perDomainConcurrency()));
        domain.acquireUninterruptibly();
        try {
            Duration backoff = settings.initialBackoff();
            DeliveryVerdict last = null;
            for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
                last = attempt(message, raw, eightBit, commit);
                if (!(last instanceof DeliveryVerdict.TemporaryFailure)) {
                    return last;
                }
                if (attempt < settings.maxAttempts()) {
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
                            : backoff.multipliedBy(2);
                }
            }
            return last;
        } finally {
            domain.release();
        }
    }

    private static MimeAssembler.TransferEncoding encoding(boolean eightBit) {
        return eightBit ? MimeAssembler.TransferEncoding.EIGHT_BIT : MimeAssembler.TransferEncoding.QUOTED_PRINTABLE;
    }

    private DeliveryVerdict attempt(OutgoingMessage message, byte[] assembled, boolean assembled8Bit, CommitPoint commit) {
        InternetAddress to;
        InternetAddress from;
        try {
            to = new InternetAddress(message.to(), true);
            from = new InternetAddress(message.from());
        } catch (AddressException e) {
            return new DeliveryVerdict.PermanentFailure(553, "5.1.3 invalid address: " + e.getMessage());
        }
        DirectDataTransport transport;
        try {
            transport = borrow();
        } catch (MessagingException e) {
            return new DeliveryVerdict.TemporaryFailure(0, "cannot connect to relay: " + rootMessage(e));
        }
        boolean eightBit = assembled8Bit && transport.accepts8BitMime();
        // a relay that stopped advertising 8BITMIME since the message was assembled gets it quoted-printable
        byte[] raw = assembled8Bit && !eightBit ? assembler.assemble(message, encoding(false)) : assembled;
        RawMessage mime = new RawMessage(session, raw, commit);
        mime.setEnvelopeFrom(from.getAddress());
        boolean reusable = true;
        try {
            transport.send(mime, from, to, eightBit);
            return new DeliveryVerdict.Delivered(transport.getLastServerResponse().strip());
        } catch (SMTPAddressFailedException e) {
            reusable = e.getReturnCode() >= 500;
            return classify(e.getReturnCode(), e.getMessage());
        } catch (SMTPSendFailedException e) {
            if (e.getReturnCode() <= 0) {
                // Angus reports EOF/reset while waiting for a reply as code -1: no reply at all
                reusable = false;
                return lost(mime, "no reply: " + e.getMessage());
            }
            reusable = e.getReturnCode() >= 500;
            return classify(e.getReturnCode(), e.getMessage());
        } catch (SendFailedException e) {
            if (e.getNextException() instanceof SMTPAddressFailedException a) {
                reusable = a.getReturnCode() >= 500;
                return classify(a.getReturnCode(), a.getMessage());
            }
            reusable = false;
            return lost(mime, "send failed: " + rootMessage(e));
        } catch (MessagingException | IllegalStateException e) {
            reusable = false;
            return lost(mime, rootMessage(e));
        } finally {
            giveBack(transport, reusable && !transport.broken());
        }
    }

    /** A broken connection: safe to retry only if the final "." was never written. */
    private static DeliveryVerdict lost(RawMessage mime, String why) {
        if (mime.committed()) {
            return new DeliveryVerdict.Delivered("unconfirmed: connection lost after end of data (" + why + ")");
        }
        return new DeliveryVerdict.TemporaryFailure(0, "connection lost: " + why);
    }

    private static DeliveryVerdict classify(int code, String reply) {
        String text = reply == null ? "" : reply.strip();
        if (code >= 500) {
            return new DeliveryVerdict.PermanentFailure(code, text);
        }
        return new DeliveryVerdict.TemporaryFailure(code, text);
    }

    private DirectDataTransport borrow() throws MessagingException {
        // no isConnected() here: Angus answers it with a NOOP round trip; a dead connection
        // fails before the commit point and is retried on a fresh one instead
        DirectDataTransport t = idle.poll();
        if (t != null) {
            return t;
        }
        if (connectionPermits.tryAcquire()) {
            return open();
        }
        try {
            t = idle.take();
            return t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted while waiting for a connection");
        }
    }

    private DirectDataTransport open() throws MessagingException {
        // each connection its own session and socket factory, so that its transport knows its plain socket
        NoDelaySocketFactory sockets = watchdog.socketFactory();
        Properties p = new Properties();
        p.putAll(properties);
        p.put("mail.smtp.socketFactory", sockets);
        StartTlsSocketFactory tlsSockets = new StartTlsSocketFactory();
        p.put("mail.smtp.ssl.socketFactory", tlsSockets);
        DirectDataTransport t = new DirectDataTransport(Session.getInstance(p),
                new URLName("smtp", settings.host(), settings.port(), null, null, null), sockets, tlsSockets);
        try {
            t.connect(settings.host(), settings.port(), settings.username().orElse(null),
                    settings.password().orElse(null));
            opened.incrementAndGet();
            relayTakes8Bit = settings.eightBitMime() && t.accepts8BitMime();
            return t;
        } catch (MessagingException | RuntimeException e) {
            connectionPermits.release();
            throw e;
        }
    }

    private void giveBack(DirectDataTransport t, boolean reusable) {
        if (reusable) {
            idle.offer(t);
        } else {
            closeQuietly(t);
            connectionPermits.release();
        }
    }

    /** How many connections were opened so far (reconnects included); for tests and metrics. */
    public int connectionsOpened() {
        return opened.get();
    }

    @Override
    public void close() {
        DirectDataTransport t;
        while ((t = idle.poll()) != null) {
            closeQuietly(t);
        }
        watchdog.close();
    }

    private static void closeQuietly(SMTPTransport t) {
        try {
            t.close();
        } catch (MessagingException e) {
            LOG.debug("closing SMTP connection: {}", e.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A message that writes pre-assembled bytes and reports the commit point when the body is
     * out (Jakarta Mail sends the terminating "." only after {@code writeTo} returns).
     */
    static final class RawMessage extends SMTPMessage {
        private final byte[] raw;
        private final CommitPoint commit;
        private volatile boolean committed;

        RawMessage(Session session, byte[] raw, CommitPoint commit) {
            super(session);
            this.raw = raw;
            this.commit = commit;
        }

        @Override
        public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
            os.write(raw);
            commit.reached();
            committed = true;
        }

        @Override
        public void writeTo(OutputStream os) throws IOException {
            writeTo(os, null);
        }

        @Override
        public int getSize() {
            return raw.length;
        }

        boolean committed() {
            return committed;
        }
    }
}
