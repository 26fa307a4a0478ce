package io.tessera.server;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * Write key and admin token for a server started without them in its configuration: generated
 * once on first start, kept in {@code secrets.properties} in the data directory (mode 600) and
 * printed once to the console. Secrets from the configuration always win; nothing here logs them.
 */
final class SecretsFile {
    static final String FILE = "secrets.properties";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretsFile() {}

    /** The config with write keys and admin token filled in from the data dir, generating what is missing. */
    static TesseraConfig complete(TesseraConfig config) {
        if (!config.writeKeys().isEmpty() && config.adminToken().isPresent()) {
            return config;
        }
        Path file = config.dataDir().resolve(FILE);
        Properties p = new Properties();
        try {
            Files.createDirectories(config.dataDir());
            if (Files.exists(file)) {
                try (Reader r = Files.newBufferedReader(file)) {
                    p.load(r);
                }
            }
            boolean generated = false;
            if (config.writeKeys().isEmpty() && p.getProperty("writeKey") == null) {
                p.setProperty("writeKey", "wk_" + random(16));
                generated = true;
            }
            if (config.adminToken().isEmpty() && p.getProperty("adminToken") == null) {
                p.setProperty("adminToken", "at_" + random(24));
                generated = true;
            }
            if (generated) {
                write(file, p);
                System.out.println("Generated secrets (stored in " + file + ", shown only this once):");
                if (config.writeKeys().isEmpty()) {
                    System.out.println("  write key:   " + p.getProperty("writeKey"));
                }
                if (config.adminToken().isEmpty()) {
                    System.out.println("  admin token: " + p.getProperty("adminToken"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep secrets in " + file, e);
        }
        List<String> keys = config.writeKeys().isEmpty() ? List.of(p.getProperty("writeKey")) : config.writeKeys();
        return config.withSecrets(keys, config.adminToken().orElse(p.getProperty("adminToken")));
    }

    /**
     * A secret that is never shown (e.g. the tracking-link signing key): the configuration's
     * {@code setting} when present, else the {@code property} of the secrets file, generated
     * ({@code bytes} random bytes, hex) and stored there on first use so links stay valid across restarts.
     */
    static synchronized String named(TesseraConfig config, String setting, String property, int bytes) {
        var configured = config.setting(setting).filter(v -> !v.isBlank());
        if (configured.isPresent()) {
            return configured.get();
        }
        Path file = config.dataDir().resolve(FILE);
        Properties p = new Properties();
        try {
            Files.createDirectories(config.dataDir());
            if (Files.exists(file)) {
                try (Reader r = Files.newBufferedReader(file)) {
                    p.load(r);
                }
            }
            if (p.getProperty(property) == null) {
                p.setProperty(property, random(bytes));
                write(file, p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep secrets in " + file, e);
        }
        return p.getProperty(property);
    }

    static void write(Path file, Properties p) throws IOException {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "Tessera secrets: keep private");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
