package io.tessera.delivery;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One personalized message ready for a {@link Mailer}: addresses, rendered parts and extra headers.
 * Assembling the MIME form (multipart/alternative, List-Unsubscribe, DKIM) is the mailer's job.
 *
 * @param messageId  the RFC 5322 Message-ID without angle brackets; deterministic per
 *                   (campaign, profile) so a reconciliation can look a message up after a crash
 * @param from       the sender mailbox, e.g. {@code "Shop <news@shop.example>"}
 * @param to         the recipient address
 * @param subject    the rendered subject
 * @param html       the rendered HTML part
 * @param text       the rendered plain-text part
 * @param amp        the rendered AMP for Email part, if the template has one
 * @param headers    extra headers in order (e.g. {@code List-Unsubscribe}); never Content-* headers
 */
public record OutgoingMessage(
        String messageId,
        String from,
        String to,
        String subject,
        String html,
        String text,
        Optional<String> amp,
        Map<String, String> headers) {

    public OutgoingMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(amp, "amp");
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** The domain part of the recipient, lower-cased; the unit of per-domain throttling. */
    public String recipientDomain() {
        return domainOf(to);
    }

    public static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
