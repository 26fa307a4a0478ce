package io.tessera.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.event.Event;
import io.tessera.profile.EventAggregate;
import io.tessera.profile.Identity;
import io.tessera.profile.Profile;
import io.tessera.store.postgres.PostgresDatabase;
import io.tessera.store.postgres.PostgresProfileStore;
import io.tessera.testkit.KafkaBroker;
import io.tessera.testkit.TestPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Three processing nodes ({@link ClusterNode}, separate JVMs) on one Kafka topic and one
 * PostgreSQL database take load through all of them; one is killed with {@code kill -9} mid-load
 * and its partitions move to the other two. Then: every acknowledged event is applied to its
 * profile exactly once, and each profile's event count equals its stored history (a profile
 * processed by two nodes at once would lose one node's update of the aggregate).
 */
class ClusterFailoverTest {
    private static final int NODES = 3;
    private static final int USERS = 40;
    private static final int KILL_AFTER_ACKED = 1_000;
    private static final int STOP_AFTER_ACKED = 2_000;

    /** Node logs stay in target/ for a failed run. */
    private final Path dir = Path.of("target", "cluster-failover-" + ProcessHandle.current().pid());

    @Test
    void killMinus9OfOneNodeLosesNoAcknowledgedEventAndNoUpdate() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema();
             PostgresDatabase db = PostgresDatabase.open(new PostgresDatabase.Settings(schema.url(), schema.user(), schema.password(), 2))) {
            String bootstrap = KafkaBroker.shared().bootstrapServers();
            String topic = "failover-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            Set<String> acked = ConcurrentHashMap.newKeySet();
            AtomicInteger ackedCount = new AtomicInteger();
            List<Process> nodes = new ArrayList<>();
            List<CountDownLatch> stopped = new ArrayList<>();
            List<CountDownLatch> quiet = new ArrayList<>();
            java.nio.file.Files.createDirectories(dir);
            try {
                for (int n = 0; n < NODES; n++) {
                    CountDownLatch ready = new CountDownLatch(1);
                    CountDownLatch done = new CountDownLatch(1);
                    CountDownLatch silent = new CountDownLatch(1);
                    Process p = start(n, bootstrap, topic, schema);
                    nodes.add(p);
                    stopped.add(done);
                    quiet.add(silent);
                    Thread.ofPlatform().daemon().start(() -> readAcks(p, acked, ackedCount, ready, silent, done));
                    assertThat(ready.await(120, TimeUnit.SECONDS)).as("node " + n + " ready (see " + dir + ")").isTrue();
                }
                await().atMost(Duration.ofMinutes(3)).until(() -> ackedCount.get() >= KILL_AFTER_ACKED);
                nodes.get(0).destroyForcibly(); // SIGKILL: no shutdown hook, no leave-group, no final commit
                assertThat(nodes.get(0).waitFor(30, TimeUnit.SECONDS)).isTrue();
                await().atMost(Duration.ofMinutes(3)).until(() -> ackedCount.get() >= STOP_AFTER_ACKED);

                for (int n = 1; n < NODES; n++) {
                    say(nodes.get(n), "quiet");
                }
                for (int n = 1; n < NODES; n++) {
                    assertThat(quiet.get(n).await(90, TimeUnit.SECONDS)).as("node " + n + " stopped its load").isTrue();
                }
                PostgresProfileStore store = new PostgresProfileStore(db);
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> applied(store).keySet().containsAll(acked));
                for (int n = 1; n < NODES; n++) {
                    say(nodes.get(n), "stop");
                }
                for (int n = 1; n < NODES; n++) {
                    assertThat(stopped.get(n).await(60, TimeUnit.SECONDS)).as("node " + n + " stopped").isTrue();
                }

                Map<String, Integer> applied = applied(store);
                Set<String> missing = new HashSet<>(acked);
                missing.removeAll(applied.keySet());
                assertThat(missing).as("acknowledged but not applied").isEmpty();
                assertThat(applied).as("times each messageId was applied").allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
                for (int u = 0; u < USERS; u++) {
                    Profile p = store.get(store.resolve(Identity.userId("u" + u)).orElseThrow()).orElseThrow();
                    long history = store.history(p.id()).size();
                    EventAggregate viewed = p.events().get("Product Viewed");
                    assertThat(viewed.count()).as("u" + u + ": the aggregate counts every stored event (no lost update)").isEqualTo(history);
                }
            } finally {
                nodes.forEach(Process::destroyForcibly);
            }
        }
    }

    private static Map<String, Integer> applied(PostgresProfileStore store) {
        Map<String, Integer> times = new HashMap<>();
        for (int u = 0; u < USERS; u++) {
            store.resolve(Identity.userId("u" + u)).ifPresent(id -> {
                for (Event e : store.history(id)) {
                    times.merge(e.messageId(), 1, Integer::sum);
                }
            });
        }
        return times;
    }

    private Process start(int node, String bootstrap, String topic, TestPostgres.Schema schema) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ClusterNode.class.getName(),
                bootstrap, topic, schema.url(), schema.user(), schema.password(), Integer.toString(node), Integer.toString(USERS))
                .redirectError(dir.resolve("node-" + node + ".log").toFile())
                .start();
    }

    private static void readAcks(Process p, Set<String> acked, AtomicInteger count, CountDownLatch ready,
                                 CountDownLatch quiet, CountDownLatch done) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.equals("READY")) {
                    ready.countDown();
                } else if (line.equals("QUIET")) {
                    quiet.countDown();
                } else if (line.equals("STOPPED")) {
                    done.countDown();
                } else if (line.startsWith("ACK ")) {
                    List<String> ids = Arrays.asList(line.substring(4).split(" "));
                    acked.addAll(ids);
                    count.addAndGet(ids.size());
                }
            }
        } catch (IOException killed) {
            // the node is gone; what it acknowledged before is already recorded
        }
    }

    private static void say(Process p, String line) {
        try {
            OutputStream in = p.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
