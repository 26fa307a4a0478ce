package io.tessera.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RequestTimersTest {

    @Test
    void eachRouteAndStatusHasOneTimerCountingItsRequests() throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        RequestTimers timers = new RequestTimers(metrics);
        Javalin http = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.requestLogger.http(timers::record);
            cfg.routes.get("/o/{token}/feed.json", ctx -> ctx.result("{}"));
        }).start("127.0.0.1", 0);
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (String path : new String[] {"/o/a/feed.json", "/o/b/feed.json", "/o/c/feed.json", "/nothing"}) {
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        } finally {
            http.stop();
        }
        Timer feed = metrics.find("tessera.http.requests").tags("method", "GET", "route", "/o/{token}/feed.json", "status", "200").timer();
        assertThat(feed).isNotNull();
        assertThat(feed.count()).isEqualTo(3);
        assertThat(metrics.find("tessera.http.requests").tags("status", "404").timer()).isNotNull()
                .satisfies(t -> assertThat(t.count()).isEqualTo(1));
        assertThat(metrics.find("tessera.http.requests").timers()).hasSize(2);
    }
}
