package io.tessera.server.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tessera.server.Main;
import io.tessera.server.Tessera;
import io.tessera.server.TesseraConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 4's CDNOW check through the normal paths: {@code tessera import} of the CDNOW sample file
 * as it is published (whitespace-separated, no header) as "Order Completed" events with the dollar
 * value as {@code revenue}, then {@code POST /api/v1/models/fit} over HTTP on the 39-week
 * calibration period reproduces the published BG/NBD and Gamma-Gamma parameters within 1%.
 */
class CdnowImportFitTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void importedCdnowSampleReproducesThePublishedParameters() throws Exception {
        Path cdnow = Path.of(System.getProperty("tessera.shared.data", "../../shared/data"), "cdnow", "CDNOW_sample.txt");
        int exit = new CommandLine(new Main()).execute("import", "--data-dir", dir.toString(),
                "--columns", "-,userId,timestamp,cds,revenue", "--delimiter", "whitespace",
                "--event", "Order Completed", "--timestamp-format", "yyyyMMdd", cdnow.toString());
        assertThat(exit).as("tessera import exit code (2 = rows quarantined)").isZero();

        try (Tessera tessera = new Tessera(TesseraConfig.forTests(dir, "wk", "admin")).start()) {
            HttpClient http = HttpClient.newHttpClient();
            JsonNode bg = fit(http, tessera.port(), "bgnbd");
            assertThat(bg.path("customers").asInt()).isEqualTo(2357);
            assertThat(bg.path("r").asDouble()).isCloseTo(0.243, within(0.243 * 0.01));
            assertThat(bg.path("alpha").asDouble()).isCloseTo(4.414, within(4.414 * 0.01));
            assertThat(bg.path("a").asDouble()).isCloseTo(0.793, within(0.793 * 0.01));
            assertThat(bg.path("b").asDouble()).isCloseTo(2.426, within(2.426 * 0.01));

            JsonNode gg = fit(http, tessera.port(), "gamma-gamma");
            assertThat(gg.path("p").asDouble()).isCloseTo(6.25, within(6.25 * 0.01));
            assertThat(gg.path("q").asDouble()).isCloseTo(3.74, within(3.74 * 0.01));
            assertThat(gg.path("gamma").asDouble()).isCloseTo(15.44, within(15.44 * 0.01));
        }
    }

    private static JsonNode fit(HttpClient http, int port, String model) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/models/fit"))
                .header("Authorization", "Bearer admin")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model": "%s", "event": "Order Completed", "valueProperty": "revenue", "calibrationEnd": "1997-09-30", "timeUnit": "week"}"""
                        .formatted(model))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
