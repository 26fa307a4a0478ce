package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scheduled pulls against a real HTTP "order system" (the JDK's server): cursor, paging, outages, secrets. */
class PullRoutesTest {
    private static final String TOKEN = "Bearer order-system-token-42";

    @TempDir Path dir;
    RunningTessera t;
    HttpServer orders;
    final List<Map<String, String>> rows = new CopyOnWriteArrayList<>();
    final List<String> asked = new CopyOnWriteArrayList<>();
    final AtomicInteger failWith = new AtomicInteger(0);
    final AtomicReference<String> seenAuth = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        orders = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        orders.createContext("/orders", ex -> {
            seenAuth.set(ex.getRequestHeaders().getFirst("Authorization"));
            String q = ex.getRequestURI().getRawQuery();
            asked.add(q == null ? "" : q);
            String since = q == null ? "" : URLDecoder.decode(q.replace("since=", ""), StandardCharsets.UTF_8);
            byte[] body;
            int status = failWith.get();
            if (status != 0) {
                body = "{}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                // at or after the cursor, oldest first, at most 2 per page (so paging is exercised)
                String page = rows.stream().filter(r -> r.get("updated").compareTo(since) >= 0).limit(2)
                        .map(r -> "{\"id\":\"%s\",\"customer\":\"%s\",\"total\":%s,\"updated\":\"%s\"}".formatted(r.get("id"), r.get("customer"), r.get("total"), r.get("updated")))
                        .collect(Collectors.joining(",", "{\"orders\":[", "]}"));
                body = page.getBytes(StandardCharsets.UTF_8);
            }
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        orders.start();
        t = new RunningTessera(dir);
    }

    @AfterEach
    void stop() {
        t.close();
        orders.stop(0);
    }

    private void order(String id, String customer, String total, String updated) {
        rows.add(Map.of("id", id, "customer", customer, "total", total, "updated", updated));
    }

    @Test
    void ordersArePulledOnScheduleThenOnlyNewOnesAndOutagesKeepTheCursor() {
        order("o1", "u1", "10.5", "2026-11-20T10:00:00Z");
        order("o2", "u2", "20", "2026-11-20T11:00:00Z");
        order("o3", "u1", "7.25", "2026-11-20T12:00:00Z");
        String pull = """
                {"url": "http://127.0.0.1:%d/orders", "cursorParam": "since", "cursorField": "/updated", "records": "/orders",
                 "intervalSeconds": 3600, "authorization": "%s",
                 "mapping": {"type": "track", "event": "Order Completed", "userId": "/customer", "messageId": "/id",
                             "timestamp": "/updated", "properties": {"revenue": "/total"}}}""".formatted(orders.getAddress().getPort(), TOKEN);
        HttpResponse<String> saved = t.admin("PUT", "/api/v1/pulls/shop", pull);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(saved.body()).contains("\"authorizationSet\":true").doesNotContain("order-system-token");

        // the schedule runs it at once (never run before); pages of 2 until nothing newer
        await().atMost(Duration.ofSeconds(20)).until(() -> !t.getJson("/api/v1/pulls/shop").get("state").toString().contains("lastRun=null"));
        assertThat(t.getJson("/api/v1/pulls/shop").get("state").toString()).contains("records=3").contains("lastError=null");
        assertThat(asked).containsExactly("", "since=2026-11-20T11%3A00%3A00Z", "since=2026-11-20T12%3A00%3A00Z");
        t.awaitProfiles();
        assertThat(seenAuth.get()).isEqualTo(TOKEN);
        assertThat(t.getJson("/api/v1/stats").get("events")).isEqualTo(3);
        assertThat(t.getJson("/api/v1/profiles/u1").get("events").toString()).contains("count=2");
        assertThat(t.getJson("/api/v1/pulls/shop").get("state").toString()).contains("cursor=2026-11-20T12:00:00Z");

        // an outage: the run fails, the error is shown, the cursor stays
        failWith.set(503);
        HttpResponse<String> down = t.admin("POST", "/api/v1/pulls/shop/run", null);
        assertThat(down.statusCode()).isEqualTo(200);
        assertThat(down.body()).contains("HTTP 503").contains("\"cursor\":\"2026-11-20T12:00:00Z\"");

        // back up with a new order: only it is new
        failWith.set(0);
        order("o4", "u2", "99", "2026-11-21T08:00:00Z");
        asked.clear();
        HttpResponse<String> run = t.admin("POST", "/api/v1/pulls/shop/run", null);
        assertThat(run.body()).contains("\"accepted\":1").contains("\"lastError\":null").contains("2026-11-21T08:00:00Z");
        assertThat(asked.get(0)).isEqualTo("since=2026-11-20T12%3A00%3A00Z");
        t.awaitProfiles();
        assertThat(t.getJson("/api/v1/stats").get("events")).isEqualTo(4);
    }

    @Test
    void badPullDefinitionsAreRefusedWithTheReason() {
        HttpResponse<String> r = t.admin("PUT", "/api/v1/pulls/x", "{\"url\": \"ftp://example.com\", \"cursorParam\": \"since\", \"cursorField\": \"/u\", \"mapping\": {\"userId\": \"/id\"}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("invalid_pull").contains("http");
        assertThat(t.admin("PUT", "/api/v1/pulls/x", "{\"url\": \"http://h/\", \"cursorParam\": \"since\", \"cursorField\": \"u\", \"mapping\": {\"userId\": \"/id\"}}").body())
                .contains("JSON pointer");
        assertThat(t.get("/api/v1/pulls/x").statusCode()).isEqualTo(404);
        assertThat(t.admin("POST", "/api/v1/pulls/x/run", null).statusCode()).isEqualTo(404);
    }
}
