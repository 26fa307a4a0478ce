package io.tessera.server;

import io.tessera.tracking.TrackingToken;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The HMAC keys of every signed URL (tracking and open-time tokens, {@link TrackingToken}), with
 * rotation. From the setting {@code tracking.signing-keys} ({@code TESSERA_TRACKING_SIGNING_KEYS},
 * {@code id:base64url,id:base64url}, the signing key first) when set; otherwise kept in the data
 * directory's {@code secrets.properties} (mode 600) as {@code signingKeys=<ids, newest first>} and
 * {@code signingKey.<id>=<base64url>}, generated on first start.
 *
 * <p>Rotation ({@code tessera keys rotate}): a new key is generated and signs from the next start
 * on; older keys keep verifying the mail already sent until retired ({@code tessera keys retire ID})
 * once the longest token lifetime has passed. The signing key cannot be retired.
 * Not thread-safe: used at start-up and by the CLI, one caller at a time.
 */
public final class SigningKeyRing {
    static final String SETTING = "tracking.signing-keys";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private SigningKeyRing() {}

    /** The keys for this node: the configured ones, or those of the data directory (generated if none). */
    public static List<TrackingToken.Key> load(TesseraConfig config) {
        Optional<String> configured = config.setting(SETTING).filter(s -> !s.isBlank());
        if (configured.isPresent()) {
            return parse(configured.get());
        }
        Path file = config.dataDir().resolve(SecretsFile.FILE);
        Properties p = read(file);
        if (ids(p).isEmpty()) {
            add(p, "k1");
            write(file, p);
        }
        return keys(p);
    }

    /**
     * The verifier of tracking links in the format used before the unification, when this node
     * ever issued them: their key is {@code tracking.key} or {@code trackingKey} in the secrets
     * file (never generated any more). They carry no expiry, so they are accepted until
     * {@code trackingKeyAcceptedUntil}, written there on the first start with unified tokens as that
     * start plus {@code linkTtl} — the latest moment a link issued before it could expire.
     */
    public static Optional<io.tessera.delivery.tracking.LegacyLinks> legacyLinks(TesseraConfig config, java.time.Duration linkTtl,
                                                                                 Instant now) {
        Path file = config.dataDir().resolve(SecretsFile.FILE);
        Properties p = read(file);
        Optional<String> hex = config.setting("tracking.key").filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(p.getProperty("trackingKey")));
        if (hex.isEmpty()) {
            return Optional.empty();
        }
        if (p.getProperty("trackingKeyAcceptedUntil") == null) {
            p.setProperty("trackingKeyAcceptedUntil", now.plus(linkTtl).toString());
            write(file, p);
        }
        return Optional.of(new io.tessera.delivery.tracking.LegacyLinks(java.util.HexFormat.of().parseHex(hex.get().strip()),
                Instant.parse(p.getProperty("trackingKeyAcceptedUntil"))));
    }

    /** Adds a new signing key in front of the others; answers its id. */
    public static String rotate(Path dataDir, Instant now) {
        Path file = dataDir.resolve(SecretsFile.FILE);
        Properties p = read(file);
        String id = "k" + Long.toString(now.getEpochSecond(), 36);
        if (ids(p).contains(id)) {
            throw new IllegalStateException("a key was already made this second: " + id);
        }
        add(p, id);
        write(file, p);
        return id;
    }

    /** Removes an older key: tokens signed with it stop verifying. */
    public static void retire(Path dataDir, String id) {
        Path file = dataDir.resolve(SecretsFile.FILE);
        Properties p = read(file);
        List<String> ids = new ArrayList<>(ids(p));
        if (!ids.contains(id)) {
            throw new IllegalArgumentException("no key " + id + " in " + file);
        }
        if (ids.get(0).equals(id)) {
            throw new IllegalArgumentException(id + " is the signing key; rotate first");
        }
        ids.remove(id);
        p.remove("signingKey." + id);
        p.setProperty("signingKeys", String.join(",", ids));
        write(file, p);
    }

    /** The key ids of the data directory, the signing key first. */
    public static List<String> ids(Path dataDir) {
        return ids(read(dataDir.resolve(SecretsFile.FILE)));
    }

    static List<TrackingToken.Key> parse(String setting) {
        List<TrackingToken.Key> keys = new ArrayList<>();
        for (String entry : setting.split(",")) {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(SETTING + " is id:base64url[,id:base64url…]");
            }
            keys.add(key(entry.substring(0, colon).trim(), entry.substring(colon + 1).trim()));
        }
        return keys;
    }

    private static TrackingToken.Key key(String id, String base64) {
        byte[] secret = Base64.getUrlDecoder().decode(base64);
        if (secret.length < 32) {
            throw new IllegalArgumentException("signing key " + id + " is shorter than 32 bytes");
        }
        return new TrackingToken.Key(id, secret);
    }

    private static List<String> ids(Properties p) {
        String v = p.getProperty("signingKeys", "").trim();
        return v.isEmpty() ? List.of() : Arrays.stream(v.split(",")).map(String::trim).toList();
    }

    private static List<TrackingToken.Key> keys(Properties p) {
        return ids(p).stream().map(id -> key(id, Optional.ofNullable(p.getProperty("signingKey." + id))
                .orElseThrow(() -> new IllegalStateException("secrets file lists key " + id + " without its value")))).toList();
    }

    private static void add(Properties p, String id) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        List<String> ids = new ArrayList<>(ids(p));
        ids.add(0, id);
        p.setProperty("signingKey." + id, B64.encodeToString(secret));
        p.setProperty("signingKeys", String.join(",", ids));
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return p;
    }

    private static void write(Path file, Properties p) {
        try {
            Files.createDirectories(file.getParent());
            SecretsFile.write(file, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep signing keys in " + file, e);
        }
    }
}
