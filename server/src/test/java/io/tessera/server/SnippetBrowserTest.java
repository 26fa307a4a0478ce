package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site snippet in a real browser: a page on another origin loads {@code /t/s.js} from Tessera,
 * queues calls before it loads, and posts a preflighted request with an Authorization header; the
 * calls must land on one profile. Needs Debian's Chromium (.ci/run installs it); skipped when it is
 * missing unless {@code TESSERA_REQUIRE_BROWSER=1}.
 */
class SnippetBrowserTest {
    @TempDir Path dir;

    @Test
    void aPageOnAnotherOriginTracksThroughTheSnippet() throws Exception {
        Optional<Path> chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
                .map(Path::of).filter(Files::isExecutable).findFirst();
        if (chromium.isEmpty()) {
            if ("1".equals(System.getenv("TESSERA_REQUIRE_BROWSER"))) {
                throw new AssertionError("TESSERA_REQUIRE_BROWSER=1 but no Chromium at /usr/bin/chromium");
            }
            Assumptions.abort("no Chromium installed (apt-get install chromium); skipping the browser test");
        }
        try (RunningTessera t = new RunningTessera(dir.resolve("data"))) {
            HttpResponse<String> js = t.get("/t/s.js");
            assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/javascript"));

            String tessera = t.base();
            String page = """
                    <!doctype html><html><head><title>Running shoes</title>
                    <script>
                      window.tessera = window.tessera || [];
                      tessera.push(["identify", "u-browser", {"email": "ann@example.com", "firstName": "Ann"}]);
                      tessera.push(["track", "Product Viewed", {"sku": "SKU-1", "price": 59.9}]);
                    </script>
                    <script async src="%1$s/t/s.js" data-write-key="%2$s"></script>
                    <script>
                      fetch("%1$s/v1/track", {method: "POST",
                        headers: {"Authorization": "Basic " + btoa("%2$s:"), "Content-Type": "application/json"},
                        body: JSON.stringify({userId: "u-browser", event: "Preflighted Call", properties: {}})})
                        .then(r => document.body.setAttribute("data-status", String(r.status)));
                    </script></head><body>shop</body></html>
                    """.formatted(tessera, RunningTessera.WRITE_KEY);
            HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            site.createContext("/", ex -> {
                byte[] b = page.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
                ex.close();
            });
            site.start();
            // "localhost" is another origin than Tessera's "127.0.0.1"
            String url = "http://localhost:" + site.getAddress().getPort() + "/shoes";
            Process browser = new ProcessBuilder(List.of(chromium.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome")), url))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("chrome.log").toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    t.awaitProfiles();
                    HttpResponse<String> p = t.get("/api/v1/profiles/u-browser");
                    return p.statusCode() == 200 && p.body().contains("Product Viewed") && p.body().contains("Preflighted Call");
                });
                Map<String, Object> profile = t.getJson("/api/v1/profiles/u-browser");
                assertThat(profile.get("traits").toString()).contains("ann@example.com").contains("Ann");
                assertThat(profile.get("identities").toString()).contains("anonymousId");
                assertThat(profile.get("timeline").toString()).contains("SKU-1").contains("Running shoes");
            } finally {
                browser.destroyForcibly().waitFor();
                site.stop(0);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
