package io.tessera.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Builds the {@link TesseraConfig}: defaults, then {@code tessera.yaml} (nested keys flattened:
 * {@code server: {port: 8080}} is {@code server.port}), then environment variables
 * ({@code TESSERA_SERVER_PORT}); command-line options are applied by the caller on top.
 * Every key has one environment name: upper case, dots and dashes as underscores, prefix
 * {@code TESSERA_}.
 */
public final class ConfigLoader {
    private static final String PREFIX = "TESSERA_";

    private ConfigLoader() {}

    /**
     * What a CLI command runs with: the {@code --config} file, else {@code ./tessera.yaml} if there
     * is one, then the {@code TESSERA_*} environment over it, then {@code --data-dir} over both.
     */
    public static TesseraConfig forCommand(Optional<Path> configOption, Optional<Path> dataDirOption) {
        Optional<Path> file = configOption.or(() -> Optional.of(Path.of("tessera.yaml")).filter(p -> p.toFile().isFile()));
        TesseraConfig c = load(file, System.getenv());
        return dataDirOption.map(c::withDataDir).orElse(c);
    }

    public static TesseraConfig load(Optional<Path> file, Map<String, String> env) {
        Map<String, String> s = new LinkedHashMap<>();
        file.ifPresent(f -> flatten("", readYaml(f), s));
        env.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                s.put(k.substring(PREFIX.length()), v);
            }
        });
        TesseraConfig.Ingest d = TesseraConfig.Ingest.defaults();
        TesseraConfig.Ingest ingest = new TesseraConfig.Ingest(
                intSetting(s, "INGEST_MAX_EVENT_BYTES", d.maxEventBytes()),
                intSetting(s, "INGEST_MAX_BATCH_BYTES", d.maxBatchBytes()),
                intSetting(s, "INGEST_MAX_BATCH_EVENTS", d.maxBatchEvents()),
                Optional.ofNullable(s.get("INGEST_MAX_FUTURE_SKEW")).map(ConfigLoader::duration).orElse(d.maxFutureSkew()),
                intSetting(s, "INGEST_MAX_DEPTH", d.maxDepth()));
        List<String> keys = Optional.ofNullable(s.get("WRITE_KEYS")).map(v -> Arrays.stream(v.split(","))
                .map(String::trim).filter(k -> !k.isEmpty()).toList()).orElse(List.of());
        return new TesseraConfig(
                s.getOrDefault("SERVER_HOST", "0.0.0.0"),
                intSetting(s, "SERVER_PORT", 8080),
                Path.of(s.getOrDefault("DATA_DIR", "tessera-data")),
                keys,
                Optional.ofNullable(s.get("ADMIN_TOKEN")).filter(t -> !t.isBlank()),
                ingest,
                s);
    }

    /** The environment form of a key without the prefix: {@code server.port} → {@code SERVER_PORT}. */
    static String normalize(String key) {
        String k = key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
        return k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static JsonNode readYaml(Path f) {
        try {
            return new YAMLMapper().readTree(Files.readString(f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + f, e);
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            StringBuilder b = new StringBuilder();
            node.forEach(n -> b.append(b.isEmpty() ? "" : ",").append(n.asString()));
            out.put(normalize(prefix), b.toString());
        } else {
            out.put(normalize(prefix), node.asString());
        }
    }

    private static int intSetting(Map<String, String> s, String key, int fallback) {
        String v = s.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key.toLowerCase(Locale.ROOT).replace('_', '.') + " must be an integer, was '" + v + "'");
        }
    }

    /** ISO-8601 ({@code PT1H}, {@code P1D}) or a number with a unit: {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}. */
    public static Duration duration(String v) {
        String t = v.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("cannot read duration '" + v + "' (use e.g. 30s, 5m, 1h, 1d or ISO-8601)");
        };
    }
}
