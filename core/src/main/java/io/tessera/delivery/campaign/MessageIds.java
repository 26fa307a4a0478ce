package io.tessera.delivery.campaign;

import io.tessera.delivery.SendKey;
import java.nio.charset.StandardCharsets;

/**
 * Deterministic RFC 5322 Message-IDs: the same (campaign run, profile) always gets the same id, so
 * the outbox and relays can be asked about a message after a crash, and tracking can name it.
 */
public final class MessageIds {

    private MessageIds() {
    }

    /** {@code <safe-campaign>.<safe-profile>.<hash>@domain}, without angle brackets. */
    public static String of(SendKey key, String domain) {
        String raw = key.campaign() + "\u0000" + key.profileId();
        long h = 0xcbf29ce484222325L;
        for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return safe(key.campaign()) + "." + safe(key.profileId()) + "." + Long.toUnsignedString(h, 36) + "@" + domain;
    }

    private static String safe(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && out.length() < 64; i++) {
            char c = s.charAt(i);
            out.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ? c : '-');
        }
        return out.toString();
    }
}
