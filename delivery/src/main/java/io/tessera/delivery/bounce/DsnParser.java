package io.tessera.delivery.bounce;

import io.tessera.delivery.SendKey;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads bounce and complaint reports out of returned mail with Jakarta Mail:
 * <ul>
 *   <li>RFC 3464 delivery status notifications: a {@code multipart/report; report-type=delivery-status}
 *       (RFC 6522) whose {@code message/delivery-status} part holds one block of per-message fields
 *       and one block per recipient ({@code Final-Recipient}, {@code Action}, {@code Status},
 *       {@code Diagnostic-Code}). Only {@code Action: failed} is a bounce; {@code delayed},
 *       {@code delivered}, {@code relayed} and {@code expanded} are reported as notices.</li>
 *   <li>RFC 5965 abuse reports (ARF, {@code report-type=feedback-report}, what mailbox providers'
 *       feedback loops send): a complaint for {@code Original-Rcpt-To}, or the returned message's {@code To}.</li>
 * </ul>
 * Our Message-ID is taken from the returned message ({@code message/rfc822} or
 * {@code text/rfc822-headers} part), else from the report's {@code In-Reply-To} / {@code References}
 * (Exchange sets them); the send ledger then names campaign and profile. Anything else (an
 * auto-reply, a bounce in free text without a report part) is {@link Result.NotAReport} with the
 * reason — never an exception. Stateless; thread-safe.
 */
public final class DsnParser {

    private static final Session SESSION = Session.getInstance(new Properties());

    private DsnParser() {
    }

    /** What one message turned out to be. */
    public sealed interface Result {
        /** A delivery status or abuse report: its bounces / complaints, and recipients it only reported on. */
        record Report(List<Bounce> bounces, List<String> notices) implements Result {}

        record NotAReport(String reason) implements Result {}
    }

    public static Result parse(byte[] raw, Instant receivedAt) {
        try {
            MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
            Optional<Part> report = findReport(message, 0);
            if (report.isEmpty()) {
                return new Result.NotAReport("no multipart/report part");
            }
            String reportType = Optional.ofNullable(new ContentType(report.get().getContentType()).getParameter("report-type"))
                    .orElse("").toLowerCase(Locale.ROOT);
            MimeMultipart parts = (MimeMultipart) report.get().getContent();
            Optional<InternetHeaders> original = originalHeaders(parts);
            Optional<String> messageId = original.flatMap(h -> first(h, "Message-ID"))
                    .or(() -> header(message, "In-Reply-To"))
                    .or(() -> header(message, "References").map(r -> r.strip().split("\\s+")[0]));
            return switch (reportType) {
                case "delivery-status" -> deliveryStatus(parts, messageId, receivedAt);
                case "feedback-report" -> feedback(parts, original, messageId, receivedAt);
                default -> new Result.NotAReport("unsupported report-type \"" + reportType + "\"");
            };
        } catch (MessagingException | IOException | RuntimeException e) {
            return new Result.NotAReport("unreadable message: " + e.getMessage());
        }
    }

    private static Result deliveryStatus(MimeMultipart parts, Optional<String> messageId, Instant at)
            throws MessagingException, IOException {
        Optional<BodyPart> status = part(parts, "message/delivery-status", "message/global-delivery-status");
        if (status.isEmpty()) {
            return new Result.NotAReport("delivery-status report without a message/delivery-status part");
        }
        List<InternetHeaders> blocks = blocks(status.get().getInputStream());
        List<Bounce> bounces = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        // the per-message block (Reporting-MTA, Arrival-Date …) names no recipient and is skipped
        for (InternetHeaders r : blocks) {
            Optional<String> address = first(r, "Final-Recipient").or(() -> first(r, "Original-Recipient"))
                    .map(DsnParser::addressOf);
            if (address.isEmpty()) {
                continue;
            }
            String action = first(r, "Action").orElse("").toLowerCase(Locale.ROOT);
            if (!action.equals("failed")) {
                notices.add(address.get() + " " + (action.isEmpty() ? "(no action)" : action));
                continue;
            }
            String diagnostic = first(r, "Diagnostic-Code").map(DsnParser::afterType).orElse("");
            SmtpStatus fromDiagnostic = SmtpStatus.parse(diagnostic);
            Optional<String> enhanced = first(r, "Status").map(String::strip).filter(s -> s.matches("[245]\\.\\d{1,3}\\.\\d{1,3}"))
                    .or(fromDiagnostic::enhanced);
            SmtpStatus st = new SmtpStatus(fromDiagnostic.code(), enhanced);
            bounces.add(new Bounce(st.type(), address.get(), messageId, Optional.<SendKey>empty(), st,
                    diagnostic.isEmpty() ? "status " + enhanced.orElse("unknown") : diagnostic, "dsn", at));
        }
        if (bounces.isEmpty() && notices.isEmpty()) {
            return new Result.NotAReport("delivery-status report names no recipient");
        }
        return new Result.Report(List.copyOf(bounces), List.copyOf(notices));
    }

    private static Result feedback(MimeMultipart parts, Optional<InternetHeaders> original, Optional<String> messageId,
                                   Instant at) throws MessagingException, IOException {
        Optional<BodyPart> fb = part(parts, "message/feedback-report");
        if (fb.isEmpty()) {
            return new Result.NotAReport("feedback report without a message/feedback-report part");
        }
        List<InternetHeaders> blocks = blocks(fb.get().getInputStream());
        InternetHeaders f = blocks.isEmpty() ? new InternetHeaders() : blocks.getFirst();
        String type = first(f, "Feedback-Type").orElse("abuse").strip().toLowerCase(Locale.ROOT);
        Optional<String> address = first(f, "Original-Rcpt-To").map(DsnParser::addressOf)
                .or(() -> original.flatMap(h -> first(h, "To")).map(DsnParser::addressOf));
        if (address.isEmpty()) {
            return new Result.NotAReport("feedback report names no recipient");
        }
        if (!type.equals("abuse") && !type.equals("fraud") && !type.equals("virus")) {
            return new Result.Report(List.of(), List.of(address.get() + " feedback " + type));
        }
        return new Result.Report(List.of(new Bounce(Bounce.Type.COMPLAINT, address.get(), messageId, Optional.empty(),
                new SmtpStatus(0, Optional.empty()), "feedback-type " + type + first(f, "User-Agent").map(u -> " from " + u).orElse(""),
                "arf", at)), List.of());
    }

    private static Optional<Part> findReport(Part p, int depth) throws MessagingException, IOException {
        if (depth > 5) {
            return Optional.empty();
        }
        if (p.isMimeType("multipart/report")) {
            return Optional.of(p);
        }
        if (p.isMimeType("multipart/*") && p.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                Optional<Part> found = findReport(mp.getBodyPart(i), depth + 1);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<BodyPart> part(MimeMultipart parts, String... types) throws MessagingException {
        for (int i = 0; i < parts.getCount(); i++) {
            for (String t : types) {
                if (parts.getBodyPart(i).isMimeType(t)) {
                    return Optional.of(parts.getBodyPart(i));
                }
            }
        }
        return Optional.empty();
    }

    /** The headers of the returned message (RFC 6522's optional third part), read without its body. */
    private static Optional<InternetHeaders> originalHeaders(MimeMultipart parts) throws MessagingException, IOException {
        Optional<BodyPart> p = part(parts, "message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers");
        if (p.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = p.get().getInputStream()) {
            return Optional.of(new InternetHeaders(in));
        }
    }

    /** The header blocks of a message/delivery-status body, separated by blank lines (extra blank lines tolerated). */
    static List<InternetHeaders> blocks(InputStream body) throws MessagingException, IOException {
        List<InternetHeaders> out = new ArrayList<>();
        try (PushbackInputStream in = new PushbackInputStream(body, 2)) {
            while (true) {
                int c = in.read();
                while (c == '\r' || c == '\n') {
                    c = in.read();
                }
                if (c < 0) {
                    return out;
                }
                in.unread(c);
                InternetHeaders h = new InternetHeaders(in);
                if (h.getAllHeaders().hasMoreElements()) {
                    out.add(h);
                }
            }
        }
    }

    private static Optional<String> first(InternetHeaders h, String name) {
        String[] v = h.getHeader(name);
        return v == null || v.length == 0 ? Optional.empty() : Optional.of(unfold(v[0])).filter(s -> !s.isEmpty());
    }

    private static Optional<String> header(MimeMessage m, String name) {
        try {
            String[] v = m.getHeader(name);
            return v == null || v.length == 0 ? Optional.empty() : Optional.of(unfold(v[0])).filter(s -> !s.isEmpty());
        } catch (MessagingException e) {
            return Optional.empty();
        }
    }

    private static String unfold(String v) {
        return v.replaceAll("\\r?\\n[ \\t]+", " ").strip();
    }

    /** {@code "rfc822; ann@example.com"} → {@code ann@example.com}; also strips angle brackets and display names. */
    static String addressOf(String field) {
        String v = afterType(field);
        int lt = v.lastIndexOf('<');
        int gt = v.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            v = v.substring(lt + 1, gt);
        }
        return v.strip().toLowerCase(Locale.ROOT);
    }

    /** {@code "smtp; 550 …"} → {@code "550 …"}: drops the address-type / diagnostic-type prefix. */
    private static String afterType(String field) {
        int semi = field.indexOf(';');
        return (semi >= 0 && semi < 16 ? field.substring(semi + 1) : field).strip();
    }
}
