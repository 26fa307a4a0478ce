package io.tessera.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tessera's configuration, built once at start-up by {@link ConfigLoader} from {@code tessera.yaml}
 * (optional), the environment ({@code TESSERA_*}) and command-line options, and validated then.
 * Nothing reads the environment anywhere else.
 *
 * <p>Feature settings that have no typed field yet are in {@link #settings}, keyed by their
 * environment form without the prefix ({@code smtp.host} / {@code TESSERA_SMTP_HOST} → {@code SMTP_HOST}).
 *
 * @param host        interface to listen on
 * @param port        HTTP port (0 = any free port)
 * @param dataDir     the data directory (SQLite files, generated secrets)
 * @param writeKeys   accepted tracking-API write keys; empty = generate/load one from the data dir
 * @param adminToken  admin API bearer token; empty = generate/load one from the data dir
 * @param ingest      ingestion limits
 * @param settings    every setting, flattened, for features without a typed field
 */
public record TesseraConfig(String host, int port, Path dataDir, List<String> writeKeys, Optional<String> adminToken,
                            Ingest ingest, Map<String, String> settings) {

    public TesseraConfig {
        writeKeys = List.copyOf(writeKeys);
        settings = Map.copyOf(settings);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("server.port must be 0..65535, was " + port);
        }
        if (writeKeys.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("write keys must not be blank");
        }
    }

    /**
     * Ingestion settings: Segment's limits by default, plus how far in the future an event time may be.
     */
    public record Ingest(int maxEventBytes, int maxBatchBytes, int maxBatchEvents, Duration maxFutureSkew, int maxDepth) {
        public static Ingest defaults() {
            return new Ingest(32 * 1024, 500 * 1024, 2_500, Duration.ofDays(1), 32);
        }
    }

    /** A setting by its dotted or environment name ({@code smtp.host} or {@code SMTP_HOST}). */
    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(ConfigLoader.normalize(key)));
    }

    public TesseraConfig withPort(int newPort) {
        return new TesseraConfig(host, newPort, dataDir, writeKeys, adminToken, ingest, settings);
    }

    public TesseraConfig withDataDir(Path dir) {
        return new TesseraConfig(host, port, dir, writeKeys, adminToken, ingest, settings);
    }

    public TesseraConfig withSecrets(List<String> keys, String token) {
        return new TesseraConfig(host, port, dataDir, keys, Optional.of(token), ingest, settings);
    }

    /** Defaults for tests: any free port, the given data dir, fixed secrets. */
    public static TesseraConfig forTests(Path dataDir, String writeKey, String adminToken) {
        return new TesseraConfig("127.0.0.1", 0, dataDir, List.of(writeKey), Optional.of(adminToken), Ingest.defaults(), Map.of());
    }
}
