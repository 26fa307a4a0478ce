package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import io.tessera.profile.Identity;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1 and 2 under {@code kill -9}: a Tessera child process takes batched events with unique
 * messageIds from several threads, is killed with SIGKILL mid-load, and is restarted on the same
 * data directory: every acknowledged messageId is stored and applied to its profile exactly once,
 * and a client retrying an acknowledged batch changes nothing.
 */
class CrashTest {
    static final int THREADS = 4;
    static final int BATCH = 50;
    static final int USERS_PER_THREAD = 20;
    static final int KILL_AFTER_ACKED = 2_000;

    @TempDir Path dataDir;

    @Test
    void everyAcknowledgedEventSurvivesKillMinus9AndIsAppliedExactlyOnce() throws Exception {
        int port = freePort();
        Process child = startChild(port);
        HttpClient http = HttpClient.newHttpClient();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        Map<String, String> ackedBatchBodies = new ConcurrentHashMap<>();
        AtomicInteger ackedCount = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        try {
            awaitHealthy(http, port);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                senders.add(Thread.ofPlatform().start(() -> send(http, port, thread, acked, ackedBatchBodies, ackedCount, unexpected)));
            }
            while (ackedCount.get() < KILL_AFTER_ACKED && child.isAlive()) {
                Thread.sleep(5);
            }
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no drain
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
            for (Thread s : senders) {
                s.join(60_000);
            }
        } finally {
            child.destroyForcibly();
        }
        assertThat(unexpected.get()).isNull();
        assertThat(acked).hasSizeGreaterThanOrEqualTo(KILL_AFTER_ACKED);

        try (RunningTessera restarted = new RunningTessera(dataDir)) {
            restarted.awaitProfiles();
            assertAppliedExactlyOnce(restarted, acked);

            String retried = ackedBatchBodies.values().iterator().next();
            assertThat(restarted.post("/v1/batch", retried).statusCode()).isEqualTo(200);
            restarted.awaitProfiles();
            assertAppliedExactlyOnce(restarted, acked);
        }
    }

    private static void assertAppliedExactlyOnce(RunningTessera server, Set<String> acked) {
        Map<String, Integer> applied = new HashMap<>();
        for (int t = 0; t < THREADS; t++) {
            for (int u = 0; u < USERS_PER_THREAD; u++) {
                var profileId = server.tessera.profiles().resolve(Identity.userId(userId(t, u)));
                if (profileId.isEmpty()) {
                    continue;
                }
                for (Event e : server.tessera.profiles().history(profileId.get())) {
                    applied.merge(e.messageId(), 1, Integer::sum);
                }
            }
        }
        Set<String> missing = new HashSet<>(acked);
        missing.removeAll(applied.keySet());
        assertThat(missing).as("acknowledged but not applied").isEmpty();
        assertThat(applied).allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
        assertThat(server.tessera.log().size()).isEqualTo(applied.size());
    }

    private static String userId(int thread, int user) {
        return "crash-" + thread + "-" + user;
    }

    private static void send(HttpClient http, int port, int thread, Set<String> acked, Map<String, String> bodies,
                             AtomicInteger ackedCount, AtomicReference<Throwable> unexpected) {
        for (int seq = 0; ; seq++) {
            List<String> ids = new ArrayList<>(BATCH);
            StringBuilder b = new StringBuilder("{\"batch\":[");
            for (int k = 0; k < BATCH; k++) {
                String id = "m-" + thread + "-" + seq + "-" + k;
                ids.add(id);
                b.append(k == 0 ? "" : ",").append("{\"type\":\"track\",\"messageId\":\"").append(id)
                        .append("\",\"userId\":\"").append(userId(thread, k % USERS_PER_THREAD))
                        .append("\",\"event\":\"Product Viewed\",\"properties\":{\"seq\":").append(seq).append("}}");
            }
            String body = b.append("]}").toString();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/batch"))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((RunningTessera.WRITE_KEY + ":").getBytes()))
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    acked.addAll(ids);
                    bodies.putIfAbsent("t" + thread, body);
                    ackedCount.addAndGet(BATCH);
                } else {
                    unexpected.compareAndSet(null, new AssertionError("status " + r.statusCode() + ": " + r.body()));
                    return;
                }
            } catch (IOException e) {
                return; // the server is gone: nothing of this batch was acknowledged
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Process startChild(int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tessera.server.Main", "serve", "--data-dir", dataDir.toString(), "--port", Integer.toString(port));
        pb.environment().put("TESSERA_WRITE_KEYS", RunningTessera.WRITE_KEY);
        pb.environment().put("TESSERA_ADMIN_TOKEN", RunningTessera.ADMIN_TOKEN);
        pb.environment().put("TESSERA_SERVER_HOST", "127.0.0.1");
        pb.redirectErrorStream(true).redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + "-child.log").toFile());
        return pb.start();
    }

    private static void awaitHealthy(HttpClient http, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the child server did not become healthy");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
