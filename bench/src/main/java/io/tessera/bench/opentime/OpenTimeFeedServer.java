package io.tessera.bench.opentime;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tessera.server.ops.RequestTimers;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The feed endpoint for bench/opentime.sh ({@link FeedFixture} behind Javalin, configured as
 * {@code Tessera.start()} configures it: virtual threads and the per-route request timers). Writes
 * the feed path and its body (for nginx's same-size static file) to the directory given, then
 * serves until killed. {@code /static.json} serves the same bytes from memory through Javalin: the
 * ceiling the framework leaves for any endpoint on this machine. Usage: OpenTimeFeedServer PORT
 * OUT_DIR; {@code -Dthreads=platform} runs on Jetty's platform thread pool instead, for comparison.
 */
public final class OpenTimeFeedServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        boolean virtual = !System.getProperty("threads", "virtual").equals("platform");
        FeedFixture f = new FeedFixture();
        byte[] body = FeedBody.of(f.resolver.resolve(f.declaration, "p_1").values());
        RequestTimers timers = new RequestTimers(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = virtual;
            cfg.startup.showJavalinBanner = false;
            if (!Boolean.getBoolean("noTimers")) {
                cfg.requestLogger.http(timers::record);
            }
            if (Boolean.getBoolean("noCompression")) {
                cfg.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
            }
            f.routes.register(cfg.routes);
            cfg.routes.get("/static.json", ctx -> ctx.contentType("application/json").header("Cache-Control", "no-store, private")
                    .result(body));
        }).start("127.0.0.1", port);
        System.out.println("feed server on port " + port + ", threads " + (virtual ? "virtual" : "platform"));
        Files.writeString(out.resolve("feed-path.txt"), "/o/" + f.token + "/feed.json");
        Files.write(out.resolve("feed.json"), body);
    }
}
