package io.tessera.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tessera.event.Event;
import io.tessera.log.kafka.KafkaEventLog;
import io.tessera.profile.Identity;
import io.tessera.server.Tessera;
import io.tessera.server.TesseraConfig;
import io.tessera.testkit.KafkaBroker;
import io.tessera.testkit.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mode: cluster}: the node takes its event log from Kafka and checks PostgreSQL and Kafka
 * at start; a missing or unreachable one stops {@code tessera serve} with a message that names it
 * and the setting to fix.
 */
class ClusterModeTest {
    private static final String WRITE_KEY = "cluster-write-key";

    @TempDir Path dir;

    private static Deployment deployment(Map<String, String> settings) {
        return Deployment.of(key -> Optional.ofNullable(settings.get(key)));
    }

    @Test
    void embeddedIsTheDefaultMode() {
        assertThat(deployment(Map.of()).cluster()).isFalse();
    }

    @Test
    void clusterModeWithoutKafkaNamesTheSetting() {
        assertThatThrownBy(() -> deployment(Map.of("mode", "cluster", "postgres.url", "jdbc:postgresql://db/tessera")))
                .isInstanceOf(ClusterUnavailableException.class)
                .hasMessageContaining("kafka.bootstrap-servers").hasMessageContaining("TESSERA_KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void clusterModeWithoutPostgresNamesTheSetting() {
        assertThatThrownBy(() -> deployment(Map.of("mode", "cluster", "kafka.bootstrap-servers", "k:9092")))
                .isInstanceOf(ClusterUnavailableException.class)
                .hasMessageContaining("postgres.url").hasMessageContaining("TESSERA_POSTGRES_URL");
    }

    @Test
    void anUnknownModeIsRejected() {
        assertThatThrownBy(() -> deployment(Map.of("mode", "distributed")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("embedded or cluster");
    }

    @Test
    void unreachablePostgresStopsTheStartNamingPostgres() throws IOException {
        int closed = freePort();
        Deployment d = deployment(Map.of("mode", "cluster", "kafka.bootstrap-servers", "127.0.0.1:" + freePort(),
                "postgres.url", "jdbc:postgresql://127.0.0.1:" + closed + "/tessera"));

        assertThatThrownBy(() -> d.openLog(dir))
                .isInstanceOf(ClusterUnavailableException.class)
                .hasMessageContaining("PostgreSQL at jdbc:postgresql://127.0.0.1:" + closed)
                .hasMessageContaining("postgres.url");
    }

    @Test
    void serveExitsWithTheReasonWhenKafkaDoesNotAnswer() throws Exception {
        TestPostgres.Schema pg = TestPostgres.freshSchema();
        Path out = dir.resolve("serve.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tessera.server.Main", "serve", "--data-dir", dir.resolve("data").toString(), "--port", "0");
        pb.environment().put("TESSERA_MODE", "cluster");
        pb.environment().put("TESSERA_POSTGRES_URL", pg.url());
        pb.environment().put("TESSERA_POSTGRES_USER", pg.user());
        pb.environment().put("TESSERA_POSTGRES_PASSWORD", pg.password());
        pb.environment().put("TESSERA_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + freePort());
        pb.environment().put("TESSERA_KAFKA_REQUEST_TIMEOUT", "3s");
        Process serve = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();

        assertThat(serve.waitFor(120, TimeUnit.SECONDS)).as("serve gave up").isTrue();
        assertThat(serve.exitValue()).isEqualTo(2);
        assertThat(Files.readString(out)).contains("tessera serve: mode: cluster, but Kafka is not available")
                .contains("kafka.bootstrap-servers");
    }

    @Test
    void clusterNodeAppliesIngestedEventsThroughKafka() throws Exception {
        TestPostgres.Schema pg = TestPostgres.freshSchema(); // the node's stores live there
        Map<String, String> settings = new HashMap<>();
        settings.put("MODE", "cluster");
        settings.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.shared().bootstrapServers());
        settings.put("KAFKA_TOPICS_EVENTS", "cluster-mode-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        settings.put("KAFKA_PARTITIONS", "4");
        String run = "cluster-mode-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        settings.put("KAFKA_TOPICS_SEGMENT_CHANGES", run + "-segment-changes");
        settings.put("KAFKA_TOPICS_SEND_JOBS", run + "-send-jobs");
        settings.put("KAFKA_TOPICS_DEFINITIONS", run + "-definitions");
        settings.put("KAFKA_GROUP", run);
        settings.put("POSTGRES_URL", pg.url());
        settings.put("POSTGRES_USER", pg.user());
        settings.put("POSTGRES_PASSWORD", pg.password());
        TesseraConfig config = new TesseraConfig("127.0.0.1", 0, dir, List.of(WRITE_KEY), Optional.of("admin"),
                TesseraConfig.Ingest.defaults(), settings);
        try (Tessera node = new Tessera(config).start()) {
            assertThat(node.log()).isInstanceOf(KafkaEventLog.class);
            HttpResponse<String> r = post(node.port(), """
                    {"batch": [
                      {"type": "identify", "messageId": "c-1", "userId": "ann", "traits": {"firstName": "Ann"}},
                      {"type": "track", "messageId": "c-2", "userId": "ann", "event": "Product Viewed"},
                      {"type": "track", "messageId": "c-3", "userId": "bob", "event": "Product Viewed"}]}""");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(post(node.port(), "{\"batch\": [{\"type\": \"track\", \"messageId\": \"c-2\", \"userId\": \"ann\", \"event\": \"Product Viewed\"}]}")
                    .statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(60)).until(() -> history(node, "ann").size() == 2 && history(node, "bob").size() == 1);
            assertThat(history(node, "ann")).extracting(Event::messageId).containsExactlyInAnyOrder("c-1", "c-2");
            assertThat(node.log().size()).isEqualTo(3);
        }
    }

    private static List<Event> history(Tessera node, String userId) {
        return node.profiles().resolve(Identity.userId(userId)).map(id -> node.profiles().history(id)).orElse(List.of());
    }

    private static HttpResponse<String> post(int port, String body) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/batch"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
