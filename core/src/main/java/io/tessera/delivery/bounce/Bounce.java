package io.tessera.delivery.bounce;

import io.tessera.delivery.SendKey;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One bounce or complaint for one address.
 *
 * @param type       hard (the address does not work), soft (this message was refused or not
 *                   delivered in time, the address may work), or complaint (the recipient marked it as spam)
 * @param address    the recipient the report is about
 * @param messageId  our Message-ID (without angle brackets) when the report names it
 * @param key        the (campaign run, profile) when the source already knows it (an SMTP reply
 *                   during a send); otherwise the recorder looks {@code messageId} up in the ledger
 * @param status     the reply code and enhanced status, {@code 0/empty} when the source gives none
 * @param reason     the human-readable diagnostic (the relay's reply, a DSN Diagnostic-Code, the webhook's reason)
 * @param source     {@code smtp}, {@code dsn}, {@code arf} or {@code webhook}
 * @param at         when it was reported
 */
public record Bounce(Type type, String address, Optional<String> messageId, Optional<SendKey> key, SmtpStatus status,
                     String reason, String source, Instant at) {

    public enum Type {
        HARD, SOFT, COMPLAINT;

        /** The lower-case name used in events and webhooks. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Bounce {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(address, "address");
        messageId = messageId.map(Bounce::bareMessageId).filter(s -> !s.isEmpty());
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
    }

    /** Whether this bounce puts the address on the suppression list: hard bounces and complaints do. */
    public boolean suppresses() {
        return type != Type.SOFT;
    }

    /** {@code <id@host>} or {@code id@host} → {@code id@host}. */
    public static String bareMessageId(String id) {
        String s = id.strip();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        return s.strip();
    }
}
