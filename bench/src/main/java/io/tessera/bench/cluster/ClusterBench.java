package io.tessera.bench.cluster;

import io.tessera.segment.MembershipStore;
import io.tessera.store.postgres.PostgresDatabase;
import io.tessera.store.postgres.PostgresMembershipStore;
import io.tessera.store.postgres.PostgresProfileStore;
import io.tessera.testkit.KafkaBroker;
import io.tessera.testkit.TestPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Scale-out benchmark: 1, 2 and 3 {@code tessera serve} nodes in cluster mode on this one machine,
 * each configuration on a fresh Kafka topic (12 partitions) and a fresh PostgreSQL schema, with
 * one segment ({@code count("Product Added") > 0}). Per configuration:
 * <ol>
 *   <li><b>peak ingest</b>: {@code IngestLoad} (batches of 100 events, keep-alive connections) splits
 *       its connections over the nodes for {@code seconds}; acknowledged events/s. The events
 *       applied from the start of that load until the backlog is gone (or {@link #DRAIN} after the
 *       load) over the time taken give the applied events/s (Kafka → profiles → segments →
 *       PostgreSQL, end to end); the backlog is then drained;</li>
 *   <li><b>event-to-membership</b> at half of the lower of the two rates: for each entry into the segment
 *       caused by an event of that run, the membership's time minus the event's receivedAt
 *       (one clock: same machine); p50 / p99.</li>
 * </ol>
 * Prints one line per configuration and the scaling efficiency (rate(n) / (n × rate(1))).
 *
 * <pre>java -cp tessera-bench.jar io.tessera.bench.cluster.ClusterBench SERVER_JAR [SECONDS] [CONNECTIONS] [MAX_NODES]</pre>
 */
public final class ClusterBench {
    private static final String KEY = "bench-write-key";
    private static final String ADMIN = "bench-admin-token";
    private static final int PARTITIONS = 12;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** How long the applied rate is measured after a saturating load (the backlog drains, or this passes). */
    private static final Duration DRAIN = Duration.ofSeconds(25);

    private ClusterBench() {}

    record Result(int nodes, double ingest, double applied, double p50, double p99, long entries) {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        int maxNodes = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path work = Files.createTempDirectory("tessera-cluster-bench");
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        Result one = null;
        for (int n = 1; n <= maxNodes; n++) {
            Result r = run(n, jar, work, bootstrap, seconds, connections);
            one = one == null ? r : one;
            System.out.printf(Locale.ROOT, "nodes=%d ingest_events_per_s=%.0f applied_events_per_s=%.0f membership_p50_ms=%.0f "
                            + "membership_p99_ms=%.0f entries=%d ingest_efficiency=%.2f applied_efficiency=%.2f%n",
                    r.nodes(), r.ingest(), r.applied(), r.p50(), r.p99(), r.entries(),
                    r.ingest() / (r.nodes() * one.ingest()), r.applied() / (r.nodes() * one.applied()));
            System.out.flush();
        }
    }

    private static Result run(int n, Path jar, Path work, String bootstrap, int seconds, int connections) throws Exception {
        String topic = "bench-" + n + "-" + System.nanoTime();
        try (TestPostgres.Schema pg = TestPostgres.freshSchema();
             PostgresDatabase db = PostgresDatabase.open(new PostgresDatabase.Settings(pg.url(), pg.user(), pg.password(), 2))) {
            Map<String, String> env = new HashMap<>(Map.of("TESSERA_MODE", "cluster", "TESSERA_KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                    "TESSERA_KAFKA_TOPICS_EVENTS", topic, "TESSERA_KAFKA_PARTITIONS", Integer.toString(PARTITIONS),
                    "TESSERA_KAFKA_GROUP", topic, "TESSERA_POSTGRES_URL", pg.url(), "TESSERA_POSTGRES_USER", pg.user(),
                    "TESSERA_POSTGRES_PASSWORD", pg.password(), "TESSERA_WRITE_KEYS", KEY, "TESSERA_ADMIN_TOKEN", ADMIN));
            List<Process> nodes = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    int port = 18300 + 10 * n + i;
                    ports.add(port);
                    nodes.add(start(jar, work.resolve("n" + n + "-" + i), port, env));
                    if (i == 0) {
                        awaitReady(port); // definitions are read at start: define on the first, then start the rest
                        admin(port, "PUT", "/api/v1/segments/adders", "{\"condition\": \"count(\\\"Product Added\\\") > 0\"}");
                    }
                }
                for (int port : ports) {
                    awaitReady(port);
                }
                // 1. saturating load: acknowledged events/s, and what the nodes apply meanwhile and after
                long t0 = System.nanoTime();
                double ingest = load(ports, connections, seconds, 0, "peak" + n);
                long appended = endOffsets(bootstrap, topic);
                long applied = awaitApplied(bootstrap, topic, db, DRAIN);
                double apply = applied / ((System.nanoTime() - t0) / 1e9);
                if (applied < appended) {
                    awaitApplied(bootstrap, topic, db, DRAIN);
                }
                // 2. half of what the cluster sustains end to end: event-to-membership latency
                long seq = new PostgresMembershipStore(db).latestChange();
                Instant paced = Instant.now();
                load(ports, connections, seconds, Math.min(ingest, apply) / 2, "half" + n);
                awaitApplied(bootstrap, topic, db, DRAIN);
                double[] lat = latencies(db, seq, paced);
                return new Result(n, ingest, apply, percentile(lat, 0.50), percentile(lat, 0.99), lat.length);
            } finally {
                for (Process p : nodes) {
                    p.destroy();
                }
                for (Process p : nodes) {
                    p.waitFor();
                }
            }
        }
    }

    private static Process start(Path jar, Path data, int port, Map<String, String> env) throws IOException {
        Files.createDirectories(data);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx768m", "-jar", jar.toString(), "serve",
                "--data-dir", data.toString(), "--port", Integer.toString(port));
        pb.environment().putAll(env);
        return pb.redirectErrorStream(true).redirectOutput(data.resolve("tessera.log").toFile()).start();
    }

    /** Runs IngestLoad processes, the connections split over the nodes; returns the summed acknowledged events/s. */
    private static double load(List<Integer> ports, int connections, int seconds, double rate, String runId) throws Exception {
        List<Process> loads = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            int share = Math.max(1, connections / ports.size() + (i < connections % ports.size() ? 1 : 0));
            loads.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "io.tessera.bench.ingest.IngestLoad", "127.0.0.1",
                    Integer.toString(ports.get(i)), KEY, Integer.toString(share), Integer.toString(seconds),
                    Double.toString(rate / ports.size()), runId + "-" + i).redirectErrorStream(true).start());
        }
        double total = 0;
        for (Process p : loads) {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    int at = line.indexOf("events_per_s=");
                    if (at >= 0) {
                        total += Double.parseDouble(line.substring(at + 13).split(" ")[0]);
                    }
                }
            }
            p.waitFor();
        }
        return total;
    }

    /** Every entry into the segment caused by an event received at or after {@code since}: membership time − receivedAt, in ms. */
    private static double[] latencies(PostgresDatabase db, long afterSeq, Instant since) {
        MembershipStore memberships = new PostgresMembershipStore(db);
        PostgresProfileStore profiles = new PostgresProfileStore(db);
        List<Double> out = new ArrayList<>();
        List<MembershipStore.LoggedChange> page;
        long seq = afterSeq;
        while (!(page = memberships.changesAfter(seq, 1_000)).isEmpty() && out.size() < 2_000) {
            for (MembershipStore.LoggedChange c : page) {
                String cause = c.change().cause();
                if (!c.change().entered() || !cause.startsWith("event:")) {
                    continue;
                }
                String messageId = cause.substring("event:".length());
                profiles.history(c.change().profileId()).stream().filter(e -> e.messageId().equals(messageId))
                        .filter(e -> !e.receivedAt().isBefore(since)).findFirst()
                        .ifPresent(e -> out.add(Duration.between(e.receivedAt(), c.change().at()).toNanos() / 1e6));
            }
            seq = page.get(page.size() - 1).seq();
        }
        return out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static double percentile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static long endOffsets(String bootstrap, String topic) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int i = 0; i < PARTITIONS; i++) {
                latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    /**
     * Until the stored partition offsets reach the topic's end (every appended event applied to
     * profiles and segments) or {@code timeout} passes; returns the events applied.
     */
    private static long awaitApplied(String bootstrap, String topic, PostgresDatabase db, Duration timeout) throws Exception {
        long end = endOffsets(bootstrap, topic);
        PostgresProfileStore profiles = new PostgresProfileStore(db);
        long deadline = System.nanoTime() + timeout.toNanos();
        long applied = 0;
        while (System.nanoTime() < deadline) {
            applied = 0;
            for (int i = 0; i < PARTITIONS; i++) {
                applied += profiles.resumeAfter(i) + 1;
            }
            if (applied >= end) {
                return applied;
            }
            Thread.sleep(50);
        }
        return applied;
    }

    private static void awaitReady(int port) throws Exception {
        for (int i = 0; i < 1_200; i++) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("node on port " + port + " did not become ready");
    }

    private static void admin(int port, String method, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
    }
}
