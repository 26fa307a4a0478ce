package io.tessera.server.cluster;

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
import java.util.Map;
import java.util.Optional;

/**
 * One {@code tessera serve} process in cluster mode — the real composition root ({@code Main}),
 * started as a JVM of its own on the test class path with its settings in the environment, as an
 * operator would run it. Its output goes to {@code node-N.log} in the run's directory.
 */
final class ServeNode implements AutoCloseable {
    static final String WRITE_KEY = "wk_cluster";
    static final String ADMIN = "admin-cluster";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final int number;
    final int port;
    private final Process process;

    private ServeNode(int number, int port, Process process) {
        this.number = number;
        this.port = port;
        this.process = process;
    }

    /** Starts node {@code number} with the cluster settings (keys without the {@code TESSERA_} prefix). */
    static ServeNode start(int number, Path dir, Map<String, String> settings, String heap) throws IOException {
        int port = freePort();
        Path data = dir.resolve("data-" + number);
        Files.createDirectories(data);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-Dlogback.configurationFile=" + Path.of("target", "classes", "logback.xml").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), "io.tessera.server.Main", "serve",
                "--data-dir", data.toString(), "--port", Integer.toString(port));
        settings.forEach((k, v) -> pb.environment().put("TESSERA_" + k, v));
        pb.environment().put("TESSERA_WRITE_KEYS", WRITE_KEY);
        pb.environment().put("TESSERA_ADMIN_TOKEN", ADMIN);
        Process p = pb.redirectErrorStream(true).redirectOutput(dir.resolve("node-" + number + ".log").toFile()).start();
        return new ServeNode(number, port, p);
    }

    /** Blocks until {@code /readyz} answers 200 (or the process dies, or the timeout passes). */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (send("GET", "/readyz", Optional.empty(), false).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** An ingestion call ({@code /v1/...}) with the write key. */
    HttpResponse<String> ingest(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, Optional.of(body), false);
    }

    /** An admin call ({@code /api/v1/...}) with the admin token. */
    HttpResponse<String> admin(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, Optional.ofNullable(body), true);
    }

    private HttpResponse<String> send(String method, String path, Optional<String> body, boolean admin)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .method(method, body.map(s -> HttpRequest.BodyPublishers.ofString(s, StandardCharsets.UTF_8))
                        .orElse(HttpRequest.BodyPublishers.noBody()));
        b.header("Authorization", admin ? "Bearer " + ADMIN
                : "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no leave-group, no final commit. */
    void killMinus9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Graceful stop (SIGTERM: the shutdown hook drains and leaves the group). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
