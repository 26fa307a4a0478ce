package io.tessera.delivery.mime;

import io.tessera.delivery.OutgoingMessage;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an {@link OutgoingMessage} into RFC 5322 bytes (CRLF line ends), DKIM-signed when a
 * signer is configured.
 *
 * <p>Structure: {@code multipart/alternative} with {@code text/plain}, then {@code text/x-amp-html}
 * when present, then {@code text/html} last — the order AMP for Email requires (clients show the
 * last part they understand, so HTML must come after AMP). Parts are UTF-8, quoted-printable, or
 * 8bit when asked for {@link TransferEncoding#EIGHT_BIT} (for a relay that advertised 8BITMIME) —
 * each part with a line over 998 octets stays quoted-printable even then ({@link EightBitText}).
 * Extra headers (List-Unsubscribe, List-Unsubscribe-Post …) are copied in order; Message-ID is
 * the message's own.
 *
 * <p>Implementation note: the first version built a Jakarta Mail {@code MimeMessage} and wrote
 * it out; that took 69% of a campaign's CPU (JFR, 8 kB HTML, docs/BENCHMARKS.md). The message
 * shape is fixed, so it is now written directly; Jakarta Mail still does what is subtle —
 * RFC 2047 encoded words for display names and header folding ({@link MimeUtility}) and address
 * syntax ({@link InternetAddress}) — and the tests parse every shape back with Jakarta Mail. The
 * subject, different per recipient, is encoded by {@link EncodedWords} (same output, without
 * {@code MimeUtility}'s per-call service lookup).
 * Thread-safe.
 */
public final class MimeAssembler {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private final InstantSource clock;
    private final Optional<DkimSigner> dkim;
    private final Map<String, String> fromHeaders = new ConcurrentHashMap<>();
    private volatile DateHeader lastDate = new DateHeader(Long.MIN_VALUE, "");

    /** The Date header of one second: formatting it costs more than the rest of the headers, and a campaign sends hundreds per second. */
    private record DateHeader(long epochSecond, String text) {}

    public MimeAssembler(InstantSource clock, Optional<DkimSigner> dkim) {
        this.clock = clock;
        this.dkim = dkim;
    }

    /** How body parts are written: quoted-printable (7bit-safe; the default), or 8bit where a part allows it. */
    public enum TransferEncoding { QUOTED_PRINTABLE, EIGHT_BIT }

    /** The message with quoted-printable parts: safe over any relay and for the outbox. */
    public byte[] assemble(OutgoingMessage m) {
        return assemble(m, TransferEncoding.QUOTED_PRINTABLE);
    }

    /**
     * The message with its parts in {@code encoding} where possible. An 8bit message may only be
     * sent to a relay that advertised 8BITMIME, with {@code BODY=8BITMIME} on MAIL FROM.
     */
    public byte[] assemble(OutgoingMessage m, TransferEncoding encoding) {
        boolean eightBit = encoding == TransferEncoding.EIGHT_BIT;
        MessageBytes out = new MessageBytes(m.html().length() * 23 / 20 + m.text().length() * 23 / 20
                + m.amp().map(String::length).orElse(0) * 23 / 20 + 2048);
        String boundary = "=_tessera_" + Integer.toHexString(m.messageId().hashCode()) + "_"
                + Long.toHexString(m.html().length() * 31L + m.text().length());
        header(out, "Date", date(clock.instant().getEpochSecond()));
        header(out, "From", fromHeaders.computeIfAbsent(m.from(), MimeAssembler::mailbox));
        header(out, "To", address(m.to()));
        header(out, "Message-ID", "<" + m.messageId() + ">");
        header(out, "Subject", EncodedWords.encode(m.subject()));
        header(out, "MIME-Version", "1.0");
        for (Map.Entry<String, String> h : m.headers().entrySet()) {
            header(out, h.getKey(), h.getValue());
        }
        header(out, "Content-Type", "multipart/alternative;\r\n boundary=\"" + boundary + "\"");
        ascii(out, "\r\n");
        part(out, boundary, "text/plain", m.text(), eightBit);
        if (m.amp().isPresent()) {
            part(out, boundary, "text/x-amp-html", m.amp().get(), eightBit);
        }
        part(out, boundary, "text/html", m.html(), eightBit);
        ascii(out, "--" + boundary + "--\r\n");
        byte[] raw = out.toByteArray();
        return dkim.map(s -> s.sign(raw)).orElse(raw);
    }

    private String date(long epochSecond) {
        DateHeader d = lastDate;
        if (d.epochSecond() != epochSecond) {
            d = new DateHeader(epochSecond, DATE.format(Instant.ofEpochSecond(epochSecond).atOffset(ZoneOffset.UTC)));
            lastDate = d;
        }
        return d.text();
    }

    private static void part(MessageBytes out, String boundary, String type, String content, boolean eightBit) {
        String head = "--" + boundary + "\r\nContent-Type: " + type + "; charset=UTF-8\r\nContent-Transfer-Encoding: ";
        // quoted-printable can never contain "=_", so never a boundary; 8bit text could, so such a part stays QP
        if (eightBit && !content.contains("--=_")) {
            int at = out.size;
            ascii(out, head + "8bit\r\n\r\n");
            if (EightBitText.encode(content, out)) {
                ascii(out, "\r\n");
                return;
            }
            out.size = at; // a line over 998 octets: this part stays quoted-printable
        }
        ascii(out, head + "quoted-printable\r\n\r\n");
        QuotedPrintable.encode(content, out);
        ascii(out, "\r\n");
    }

    private static void header(MessageBytes out, String name, String value) {
        if (value.indexOf('\n') >= 0 && !value.contains("\r\n ")) {
            throw new IllegalArgumentException("header " + name + " contains a line break");
        }
        String line = name + ": " + value;
        ascii(out, line.length() > 78 && !value.contains("\r\n") ? MimeUtility.fold(0, line) : line);
        ascii(out, "\r\n");
    }

    private static String mailbox(String from) {
        try {
            return new InternetAddress(from, false).toString();
        } catch (AddressException e) {
            throw new IllegalArgumentException("invalid sender " + from + ": " + e.getMessage(), e);
        }
    }

    private static String address(String to) {
        for (int i = 0; i < to.length(); i++) {
            char c = to.charAt(i);
            if (c < 33 || c > 126 || c == '<' || c == '>' || c == ',' || c == ';' || c == '"') {
                throw new IllegalArgumentException("invalid recipient address: " + to);
            }
        }
        return to;
    }

    private static void ascii(MessageBytes out, String s) {
        out.ascii(s);
    }
}
