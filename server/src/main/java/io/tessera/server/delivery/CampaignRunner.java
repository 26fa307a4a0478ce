package io.tessera.server.delivery;

import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.dispatch.CampaignDispatcher;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires campaign runs: now, at a time, or every period (each run its own ledger scope
 * {@code key@<due instant>}), and a follow-up run of the same scope when recipients were deferred
 * to their local send time, quiet hours or a relay outage. Run state is the ledger's, so a
 * restarted node that starts the campaign again completes it without duplicates.
 *
 * <p>Threading: one scheduler thread decides when; runs execute on it one at a time (the
 * dispatcher's own pool does the sending). {@link #status} is readable from any thread.
 */
final class CampaignRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignRunner.class);

    private final CampaignDispatcher dispatcher;
    private final InstantSource clock;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("campaign-scheduler").daemon().factory());
    private final Map<String, Object> status = new ConcurrentHashMap<>();

    CampaignRunner(CampaignDispatcher dispatcher, InstantSource clock) {
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    /** Schedules the campaign's runs; returns what was scheduled. */
    Map<String, Object> start(Campaign c) {
        Instant now = clock.instant();
        return switch (c.schedule()) {
            case Campaign.Schedule.Now n -> {
                at(c, c.key(), now, now);
                yield Map.of("status", "started", "scope", c.key());
            }
            case Campaign.Schedule.At a -> {
                at(c, c.key(), a.at(), now);
                yield Map.of("status", "scheduled", "at", a.at().toString(), "scope", c.key());
            }
            case Campaign.Schedule.Recurring r -> {
                Instant first = r.first();
                while (first.isBefore(now.minus(r.every()))) {
                    first = first.plus(r.every());
                }
                recurring(c, first, r.every(), now);
                yield Map.of("status", "scheduled", "first", first.toString(), "every", r.every().toString());
            }
        };
    }

    private void recurring(Campaign c, Instant due, Duration every, Instant now) {
        at(c, c.key() + "@" + due, due, now);
        Instant next = due.plus(every);
        scheduler.schedule(() -> recurring(c, next, every, clock.instant()),
                Math.max(0, Duration.between(now, next).toMillis()), TimeUnit.MILLISECONDS);
    }

    private void at(Campaign c, String scope, Instant due, Instant now) {
        status.put(scope, Map.of("state", "scheduled", "due", due.toString()));
        scheduler.schedule(() -> run(c, scope, due), Math.max(0, Duration.between(now, due).toMillis()), TimeUnit.MILLISECONDS);
    }

    private void run(Campaign c, String scope, Instant due) {
        status.put(scope, Map.of("state", "running", "due", due.toString()));
        try {
            CampaignDispatcher.Report r = dispatcher.run(c, scope, due);
            status.put(scope, Map.of("state", r.later().isEmpty() ? "done" : "waiting", "due", due.toString(),
                    "sent", r.sent(), "bounced", r.bounced(), "skipped", r.skipped(), "later", r.later().size()));
            r.later().values().stream().min(Comparator.naturalOrder()).ifPresent(next ->
                    scheduler.schedule(() -> run(c, scope, due),
                            Math.max(0, Duration.between(clock.instant(), next).toMillis()), TimeUnit.MILLISECONDS));
        } catch (RuntimeException e) {
            LOG.error("campaign run {} failed", scope, e);
            status.put(scope, Map.of("state", "failed", "due", due.toString(), "error", String.valueOf(e.getMessage())));
        }
    }

    Map<String, Object> status(String key) {
        Map<String, Object> out = new java.util.TreeMap<>();
        status.forEach((scope, s) -> {
            if (scope.equals(key) || scope.startsWith(key + "@")) {
                out.put(scope, s);
            }
        });
        return out;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
