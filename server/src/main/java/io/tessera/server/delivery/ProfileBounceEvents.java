package io.tessera.server.delivery;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.bounce.Bounce;
import io.tessera.delivery.bounce.BounceEvents;
import io.tessera.ingest.Ingestor;
import io.tessera.profile.Identity;
import io.tessera.profile.ProfileStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Bounces become events on the recipient's profile: {@code "Email Bounced"} (properties
 * {@code type} hard|soft, {@code smtpCode}, {@code status} (enhanced), {@code reason},
 * {@code source} smtp|dsn|webhook, {@code campaign}, {@code run}, {@code emailMessageId}) or
 * {@code "Email Marked as Spam"} for a complaint — the names of Segment's email spec. The profile
 * is the ledger's (when the bounce could be attributed), else the one with that e-mail identity.
 * The event's messageId is a hash of the bounce, so importing the same DSN twice is one event.
 * Thread-safe.
 */
public final class ProfileBounceEvents implements BounceEvents {

    private final ProfileEventWriter writer;
    private final ProfileStore profiles;

    public ProfileBounceEvents(Ingestor ingestor, ProfileStore profiles) {
        this.writer = new ProfileEventWriter(ingestor, profiles);
        this.profiles = profiles;
    }

    @Override
    public void record(Bounce b, Optional<SendKey> key) {
        Optional<String> profileId = key.map(SendKey::profileId)
                .or(() -> profiles.resolve(Identity.email(b.address())))
                .or(() -> profiles.resolve(Identity.email(b.address().toLowerCase(java.util.Locale.ROOT))));
        if (profileId.isEmpty()) {
            return;
        }
        Map<String, Object> props = new LinkedHashMap<>();
        if (b.type() != Bounce.Type.COMPLAINT) {
            props.put("type", b.type().wireName());
        }
        if (b.status().code() > 0) {
            props.put("smtpCode", b.status().code());
        }
        b.status().enhanced().ifPresent(s -> props.put("status", s));
        props.put("reason", b.reason().length() > 500 ? b.reason().substring(0, 500) : b.reason());
        props.put("source", b.source());
        key.ifPresent(k -> {
            props.put("campaign", k.campaign().replaceAll("[@#].*$", ""));
            props.put("run", k.campaign());
        });
        b.messageId().ifPresent(m -> props.put("emailMessageId", m));
        String event = b.type() == Bounce.Type.COMPLAINT ? "Email Marked as Spam" : "Email Bounced";
        writer.track(profileId.get(), event, props, "bounce-" + digest(b), b.at(), "bounces");
    }

    /** Identifies the bounce, not its arrival: same report → same id. */
    private static String digest(Bounce b) {
        String s = String.join("\u001f", b.type().name(), b.address().toLowerCase(java.util.Locale.ROOT),
                b.messageId().orElse(""), b.status().toString(), b.source());
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
