package io.tessera.server.delivery;

import io.tessera.delivery.smtp.SmtpSettings;
import io.tessera.server.TesseraConfig;
import java.util.Optional;

/**
 * The SMTP relay settings from the server's configuration ({@code smtp.host} / {@code TESSERA_SMTP_HOST},
 * {@code _PORT} (587), {@code _USERNAME}, {@code _PASSWORD}, {@code _STARTTLS} (true),
 * {@code _CONNECTIONS} (8), {@code _PER_DOMAIN} (4)). No host means the embedded outbox. Read
 * once at start-up; a malformed number fails start-up with the key's name.
 */
public final class DeliverySettings {

    private DeliverySettings() {
    }

    public static Optional<SmtpSettings> smtp(TesseraConfig config) {
        Optional<String> host = config.setting("smtp.host").filter(h -> !h.isBlank());
        if (host.isEmpty()) {
            return Optional.empty();
        }
        int port = number(config, "smtp.port", 587);
        SmtpSettings s = SmtpSettings.of(host.get(), port)
                .withStartTls(!config.setting("smtp.starttls").map(String::strip).orElse("true").equalsIgnoreCase("false"))
                .withPool(number(config, "smtp.connections", 8), number(config, "smtp.per_domain", 4))
                .withEightBitMime(!config.setting("smtp.eightbitmime").map(String::strip).orElse("true").equalsIgnoreCase("false"));
        Optional<String> user = config.setting("smtp.username").filter(u -> !u.isBlank());
        if (user.isPresent()) {
            s = s.withAuth(user.get(), config.setting("smtp.password").orElse(""));
        }
        return Optional.of(s);
    }

    private static int number(TesseraConfig config, String key, int dflt) {
        String v = config.setting(key).orElse(String.valueOf(dflt)).strip();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got \"" + v + "\"", e);
        }
    }
}
