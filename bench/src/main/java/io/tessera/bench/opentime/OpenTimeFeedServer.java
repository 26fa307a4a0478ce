package io.tessera.bench.opentime;

import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The feed endpoint for bench/opentime.sh ({@link FeedFixture} behind Javalin). Writes the feed
 * path and its body (for nginx's same-size static file) to the directory given, then serves until
 * killed. {@code /static.json} serves the same bytes from memory through Javalin: the ceiling the
 * framework leaves for any endpoint on this machine. Usage: OpenTimeFeedServer PORT OUT_DIR
 */
public final class OpenTimeFeedServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        FeedFixture f = new FeedFixture();
        byte[] body = FeedBody.of(f.resolver.resolve(f.declaration, "p_1").values());
        Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            f.routes.register(cfg.routes);
            cfg.routes.get("/static.json", ctx -> ctx.contentType("application/json").header("Cache-Control", "no-store, private")
                    .result(body));
        }).start("127.0.0.1", port);
        Files.writeString(out.resolve("feed-path.txt"), "/o/" + f.token + "/feed.json");
        Files.write(out.resolve("feed.json"), body);
    }
}
