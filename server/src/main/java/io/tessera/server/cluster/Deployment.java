package io.tessera.server.cluster;

import io.tessera.event.EventLog;
import io.tessera.log.kafka.KafkaEventLog;
import io.tessera.log.kafka.KafkaLogSettings;
import io.tessera.log.kafka.KafkaUnavailableException;
import io.tessera.log.sqlite.SqliteEventLog;
import io.tessera.store.postgres.PostgresDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * The deployment mode and what it needs, read once from the configuration and validated then.
 *
 * <table>
 *   <caption>Settings (file key / environment variable)</caption>
 *   <tr><td>{@code mode} / {@code TESSERA_MODE}</td><td>{@code embedded} (default) or {@code cluster}</td></tr>
 *   <tr><td>{@code kafka.bootstrap-servers}</td><td>required in cluster mode</td></tr>
 *   <tr><td>{@code kafka.topics.events}</td><td>the events topic, default {@code events}</td></tr>
 *   <tr><td>{@code kafka.partitions}</td><td>partitions of the events topic when Tessera creates it, default 12</td></tr>
 *   <tr><td>{@code kafka.replication-factor}</td><td>default 1; use 3 on a real cluster</td></tr>
 *   <tr><td>{@code kafka.group}</td><td>consumer group prefix, default {@code tessera}</td></tr>
 *   <tr><td>{@code kafka.session-timeout}</td><td>how soon a dead node's partitions move, default 10s</td></tr>
 *   <tr><td>{@code kafka.request-timeout}</td><td>how long an append or a start-up check may take, default 30s</td></tr>
 *   <tr><td>{@code kafka.dedupe-window}</td><td>messageIds remembered for append dedupe, default 500000</td></tr>
 *   <tr><td>{@code postgres.url}, {@code .user}, {@code .password}, {@code .pool-size}</td>
 *       <td>the shared PostgreSQL; the URL is required in cluster mode</td></tr>
 * </table>
 *
 * @param mode     embedded or cluster
 * @param kafka    the Kafka log's settings (cluster mode)
 * @param postgres the shared database (cluster mode)
 */
public record Deployment(Mode mode, Optional<KafkaLogSettings> kafka, Optional<PostgresDatabase.Settings> postgres) {

    /** One process on SQLite, or N nodes on Kafka and PostgreSQL. */
    public enum Mode { EMBEDDED, CLUSTER }

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(15);

    /** Reads the deployment from settings looked up by key ({@code TesseraConfig::setting}). */
    public static Deployment of(Function<String, Optional<String>> setting) {
        String modeText = setting.apply("mode").map(String::strip).orElse("embedded");
        Mode mode = switch (modeText.toLowerCase(Locale.ROOT)) {
            case "embedded" -> Mode.EMBEDDED;
            case "cluster" -> Mode.CLUSTER;
            default -> throw new IllegalArgumentException("mode must be embedded or cluster, was '" + modeText + "'");
        };
        if (mode == Mode.EMBEDDED) {
            return new Deployment(mode, Optional.empty(), Optional.empty());
        }
        String servers = setting.apply("kafka.bootstrap-servers").filter(s -> !s.isBlank()).orElseThrow(() ->
                new ClusterUnavailableException("mode: cluster needs Kafka: set kafka.bootstrap-servers "
                        + "(environment TESSERA_KAFKA_BOOTSTRAP_SERVERS), e.g. kafka-1:9092,kafka-2:9092"));
        String url = setting.apply("postgres.url").filter(s -> !s.isBlank()).orElseThrow(() ->
                new ClusterUnavailableException("mode: cluster needs PostgreSQL: set postgres.url "
                        + "(environment TESSERA_POSTGRES_URL), e.g. jdbc:postgresql://db:5432/tessera"));
        KafkaLogSettings d = KafkaLogSettings.of(servers);
        KafkaLogSettings kafka = new KafkaLogSettings(servers,
                setting.apply("kafka.topics.events").orElse(d.topic()),
                integer(setting, "kafka.partitions", d.partitions()),
                (short) integer(setting, "kafka.replication-factor", d.replicationFactor()),
                setting.apply("kafka.group").orElse(d.groupPrefix()),
                integer(setting, "kafka.dedupe-window", d.dedupeWindow()),
                setting.apply("kafka.session-timeout").map(Deployment::duration).orElse(d.sessionTimeout()),
                setting.apply("kafka.request-timeout").map(Deployment::duration).orElse(d.requestTimeout()));
        PostgresDatabase.Settings postgres = new PostgresDatabase.Settings(url,
                setting.apply("postgres.user").orElse(""), setting.apply("postgres.password").orElse(""),
                integer(setting, "postgres.pool-size", 10));
        return new Deployment(mode, Optional.of(kafka), Optional.of(postgres));
    }

    public boolean cluster() {
        return mode == Mode.CLUSTER;
    }

    /**
     * Opens the event log of the mode: the SQLite log in the data directory, or the Kafka topic
     * (created if missing). In cluster mode, first checks that PostgreSQL and Kafka answer, and
     * throws {@link ClusterUnavailableException} naming the one that does not.
     */
    public EventLog openLog(Path dataDir) {
        if (!cluster()) {
            return new SqliteEventLog(dataDir.resolve("events.db"));
        }
        checkPostgres();
        KafkaLogSettings k = kafka.orElseThrow();
        try {
            return new KafkaEventLog(k);
        } catch (KafkaUnavailableException e) {
            throw new ClusterUnavailableException("mode: cluster, but Kafka is not available: " + e.getMessage()
                    + " (setting kafka.bootstrap-servers / TESSERA_KAFKA_BOOTSTRAP_SERVERS)", e);
        }
    }

    /** Connects once to PostgreSQL with a short timeout; a clear error if it does not answer. */
    public void checkPostgres() {
        PostgresDatabase.Settings pg = postgres.orElseThrow();
        Properties p = new Properties();
        if (!pg.user().isBlank()) {
            p.setProperty("user", pg.user());
            p.setProperty("password", pg.password());
        }
        p.setProperty("connectTimeout", Long.toString(CHECK_TIMEOUT.toSeconds()));
        p.setProperty("loginTimeout", Long.toString(CHECK_TIMEOUT.toSeconds()));
        try (Connection c = DriverManager.getConnection(pg.url(), p)) {
            c.isValid((int) CHECK_TIMEOUT.toSeconds());
        } catch (SQLException e) {
            throw new ClusterUnavailableException("mode: cluster, but PostgreSQL at " + withoutSecrets(pg.url())
                    + " is not available: " + e.getMessage() + " (settings postgres.url / TESSERA_POSTGRES_URL, "
                    + "postgres.user, postgres.password)", e);
        }
    }

    private static String withoutSecrets(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static int integer(Function<String, Optional<String>> setting, String key, int fallback) {
        Optional<String> v = setting.apply(key).map(String::strip).filter(s -> !s.isEmpty());
        try {
            return v.map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be an integer, was '" + v.orElseThrow() + "'");
        }
    }

    private static Duration duration(String v) {
        String t = v.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.parse(t.toUpperCase(Locale.ROOT));
    }
}
