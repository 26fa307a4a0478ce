package io.tessera.server.webhook;

import io.javalin.config.JavalinConfig;
import io.tessera.webhook.RetrySchedule;
import io.tessera.webhook.WebhookDispatcher;
import io.tessera.webhook.WebhookSender;
import io.tessera.webhook.WebhookSource;
import io.tessera.webhook.WebhookStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outbound webhooks as the composition root sees them: the store (not owned: SQLite or PostgreSQL,
 * from {@code Stores}), the dispatcher over the
 * given sources, one daemon thread that every {@code webhooks.poll} (500 ms) fans new events out
 * and sends what is due (sends run on virtual threads), and the routes.
 *
 * <p>Settings: {@code webhooks.retry.base} (10s), {@code webhooks.retry.max} (1h),
 * {@code webhooks.retry.attempts} (12), {@code webhooks.poll} (500ms).
 */
public final class WebhookFeature implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookFeature.class);

    private final WebhookStore store;
    private final WebhookDispatcher dispatcher;
    private final WebhookRoutes routes;
    private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "webhooks");
        t.setDaemon(true);
        return t;
    });

    public WebhookFeature(WebhookStore store, List<WebhookSource> sources, InstantSource clock, Function<String, Optional<String>> settings) {
        this(store, sources, new HttpWebhookSender(), clock, settings);
    }

    WebhookFeature(WebhookStore store, List<WebhookSource> sources, WebhookSender sender, InstantSource clock,
                   Function<String, Optional<String>> settings) {
        this.store = store;
        RetrySchedule retries = new RetrySchedule(
                duration(settings, "webhooks.retry.base", Duration.ofSeconds(10)),
                duration(settings, "webhooks.retry.max", Duration.ofHours(1)),
                settings.apply("webhooks.retry.attempts").map(Integer::parseInt).orElse(12));
        this.dispatcher = new WebhookDispatcher(store, sources, sender, retries, clock, sends);
        this.routes = new WebhookRoutes(store, clock);
        long poll = duration(settings, "webhooks.poll", Duration.ofMillis(500)).toMillis();
        thread.scheduleWithFixedDelay(this::tick, poll, poll, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            dispatcher.feed();
            while (dispatcher.deliverDue(64) == 64) {
                // more are due: keep sending
            }
        } catch (RuntimeException e) {
            // An outage (the database): nothing is lost, the queue and cursors are durable; retried next tick.
            LOG.error("webhook dispatch failed; retrying", e);
        }
    }

    public void register(JavalinConfig config) {
        routes.register(config);
    }

    /** A duration setting: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601 ({@code PT10S}). */
    static Duration duration(Function<String, Optional<String>> settings, String key, Duration fallback) {
        return settings.apply(key).map(v -> parse(key, v.trim().toLowerCase(Locale.ROOT))).orElse(fallback);
    }

    private static Duration parse(String key, String v) {
        try {
            // milliseconds on top of the shared syntax: tests and fast local setups poll in ms
            return v.endsWith("ms") ? Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))) : io.tessera.server.ConfigLoader.duration(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be a duration like 500ms, 10s, 5m, 1h or PT10S; was " + v, e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sends.shutdownNow();
    }
}
