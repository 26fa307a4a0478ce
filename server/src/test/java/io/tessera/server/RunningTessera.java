package io.tessera.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** A real Tessera (real SQLite, real HTTP on a free port) in a test's temp directory, with an HTTP client. */
final class RunningTessera implements AutoCloseable {
    static final String WRITE_KEY = "test-write-key";
    static final String ADMIN_TOKEN = "test-admin-token";
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    final Tessera tessera;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RunningTessera(Path dataDir) {
        this(dataDir, Map.of());
    }

    /** @param settings extra settings by their dotted names ({@code opentime.feeds-dir}) */
    RunningTessera(Path dataDir, Map<String, String> settings) {
        TesseraConfig c = TesseraConfig.forTests(dataDir, WRITE_KEY, ADMIN_TOKEN);
        Map<String, String> all = new java.util.HashMap<>(c.settings());
        settings.forEach((k, v) -> all.put(ConfigLoader.normalize(k), v));
        this.tessera = new Tessera(new TesseraConfig(c.host(), c.port(), c.dataDir(), c.writeKeys(), c.adminToken(), c.ingest(), all)).start();
    }

    String base() {
        return "http://127.0.0.1:" + tessera.port();
    }

    HttpResponse<String> post(String path, byte[] body, String writeKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (writeKey != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)));
        }
        return send(b.build());
    }

    HttpResponse<String> post(String path, String body) {
        return post(path, body.getBytes(StandardCharsets.UTF_8), WRITE_KEY);
    }

    HttpResponse<String> post(String path, Object json) {
        return post(path, JSON.writeValueAsBytes(json), WRITE_KEY);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build());
    }

    Map<String, Object> getJson(String path) {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return json(r.body());
    }

    static Map<String, Object> json(String text) {
        return JSON.readValue(text, MAP);
    }

    void awaitProfiles() {
        try {
            if (!tessera.awaitProfilesCurrent(Duration.ofSeconds(30))) {
                throw new AssertionError("profiles did not catch up with the log");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** An admin API call with a JSON body (or none when {@code body} is null). */
    HttpResponse<String> admin(String method, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        tessera.close();
        http.close();
    }
}
