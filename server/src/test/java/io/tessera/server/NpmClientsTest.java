package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stock npm clients {@code @segment/analytics-node} and {@code @rudderstack/rudder-sdk-node},
 * installed by this test with npm into {@code target/npm-clients} and pointed at a running Tessera,
 * send identify/track/page for many users; the profiles read back through the admin API match what
 * was sent exactly. Skipped (with a message) only when npm is not installed.
 */
class NpmClientsTest {
    static final int USERS = 40;
    static final Path NPM_DIR = Path.of("target", "npm-clients").toAbsolutePath();
    @TempDir static Path dir;
    static RunningTessera server;

    @BeforeAll
    static void installClientsAndStart() throws Exception {
        Assumptions.assumeTrue(onPath("npm") && onPath("node"),
                "npm/node are not installed: skipping the real-client tests (CI installs nodejs and npm)");
        Files.createDirectories(NPM_DIR);
        for (String f : List.of("package.json", "send.js")) {
            try (InputStream in = NpmClientsTest.class.getResourceAsStream("/npm-clients/" + f)) {
                Files.copy(in, NPM_DIR.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(NPM_DIR.resolve("node_modules/@segment/analytics-node"))
                || !Files.isDirectory(NPM_DIR.resolve("node_modules/@rudderstack/rudder-sdk-node"))) {
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"), 300);
        }
        server = new RunningTessera(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void segmentAnalyticsNodeProfilesMatchWhatWasSent() throws Exception {
        sendAndCompare("segment", "seg");
    }

    @Test
    void rudderstackSdkNodeProfilesMatchWhatWasSent() throws Exception {
        sendAndCompare("rudder", "rud");
    }

    private void sendAndCompare(String client, String prefix) throws Exception {
        run(List.of("node", "send.js", client, server.base(), RunningTessera.WRITE_KEY, prefix, Integer.toString(USERS)), 120);
        server.awaitProfiles();
        for (int i = 0; i < USERS; i++) {
            String userId = prefix + "-" + i;
            Map<String, Object> p = server.getJson("/api/v1/profiles/" + userId);
            assertThat(p.get("identities")).as(userId).isEqualTo(Map.of("userId", List.of(userId), "email", List.of(userId + "@example.com")));
            assertThat(p.get("traits")).as(userId).isEqualTo(expectedTraits(prefix, i));
            @SuppressWarnings("unchecked") Map<String, Map<String, Object>> events = (Map<String, Map<String, Object>>) p.get("events");
            assertThat(events.keySet()).as(userId).containsExactlyInAnyOrder("identify", "Product Viewed", "page");
            assertThat(events.get("Product Viewed").get("count")).as(userId).isEqualTo(1 + i % 3);
            assertThat(events.get("identify").get("count")).isEqualTo(1);
            assertThat(events.get("page").get("count")).isEqualTo(1);
            @SuppressWarnings("unchecked") List<Map<String, Object>> timeline = (List<Map<String, Object>>) p.get("timeline");
            assertThat(timeline).hasSize(3 + i % 3);
            assertThat(timeline).filteredOn(e -> "track".equals(e.get("type")))
                    .extracting(e -> e.get("properties"))
                    .containsExactlyInAnyOrderElementsOf(expectedViews(i));
        }
        assertThat(server.getJson("/api/v1/profiles?email=" + prefix + "-0@example.com").get("identities"))
                .isEqualTo(Map.of("userId", List.of(prefix + "-0"), "email", List.of(prefix + "-0@example.com")));
    }

    private static Map<String, Object> expectedTraits(String prefix, int i) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("age", 20 + i);
        t.put("email", prefix + "-" + i + "@example.com");
        t.put("name", "User " + i);
        t.put("plan", i % 2 == 0 ? "pro" : "free");
        return t;
    }

    private static List<Map<String, Object>> expectedViews(int i) {
        return java.util.stream.IntStream.range(0, 1 + i % 3)
                .mapToObj(k -> Map.<String, Object>of("product_id", "sku-" + k, "price", 10 + k)).toList();
    }

    private static boolean onPath(String tool) {
        try {
            return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void run(List<String> command, int timeoutSeconds) throws Exception {
        Path log = NPM_DIR.resolve("last-command.log");
        Process p = new ProcessBuilder(command).directory(NPM_DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " timed out:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        assertThat(p.exitValue()).as(command + ":\n" + Files.readString(log, StandardCharsets.UTF_8)).isZero();
    }
}
