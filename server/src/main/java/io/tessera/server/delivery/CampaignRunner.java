package io.tessera.server.delivery;

import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.dispatch.CampaignDispatcher;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import io.tessera.delivery.campaign.CampaignRuns;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires campaign runs: now, at a time, or every period (each run its own ledger scope
 * {@code key@<due instant>}), and a follow-up run of the same scope when recipients were deferred
 * to their local send time, quiet hours or a relay outage. Started runs are recorded in
 * {@link CampaignRuns} until finished, and {@link #resume} re-schedules them after a restart;
 * who was already sent to is the ledger's, so the resumed run completes the campaign without duplicates.
 *
 * <p>Threading: one scheduler thread decides when; runs execute on it one at a time (the
 * dispatcher's own pool does the sending). {@link #status} is readable from any thread.
 */
final class CampaignRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignRunner.class);
    private static final String RECURRING = "@recurring";

    private final CampaignDispatcher dispatcher;
    private final InstantSource clock;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("campaign-scheduler").daemon().factory());
    private final Map<String, Object> status = new ConcurrentHashMap<>();
    private final CampaignRuns runs;
    /** In a cluster: runs are paged into send jobs that every node takes a share of. */
    private volatile Optional<Queued> queued = Optional.empty();

    /** The send-jobs queue and where the audience is read from. */
    record Queued(io.tessera.delivery.campaign.SendJobQueue jobs, io.tessera.delivery.campaign.SegmentMembers members) {}

    CampaignRunner(CampaignDispatcher dispatcher, InstantSource clock, CampaignRuns runs) {
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.runs = runs;
    }

    /**
     * Re-schedules every run left open by a previous process (at its due time, or now if that
     * passed) and recurring schedules; the ledger makes each resumed run send only to whoever
     * was not handled yet. Returns how many were resumed.
     */
    int resume(Function<String, Optional<Campaign>> campaigns) {
        Instant now = clock.instant();
        int resumed = 0;
        for (CampaignRuns.Run run : runs.openRuns()) {
            Optional<Campaign> c = campaigns.apply(run.campaign()).filter(x -> x.trigger().isEmpty());
            if (c.isEmpty()) {
                runs.finish(run.scope());
                continue;
            }
            if (run.scope().equals(run.campaign() + RECURRING)) {
                if (c.get().schedule() instanceof Campaign.Schedule.Recurring r) {
                    recurring(c.get(), firstDue(r, now), r.every(), now);
                    resumed++;
                } else {
                    runs.finish(run.scope());
                }
                continue;
            }
            at(c.get(), run.scope(), run.due(), now);
            resumed++;
        }
        if (resumed > 0) {
            LOG.info("resumed {} campaign runs left open by the previous process", resumed);
        }
        return resumed;
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
                Instant first = firstDue(r, now);
                runs.open(c.key(), c.key() + RECURRING, first);
                recurring(c, first, r.every(), now);
                yield Map.of("status", "scheduled", "first", first.toString(), "every", r.every().toString());
            }
        };
    }

    private static Instant firstDue(Campaign.Schedule.Recurring r, Instant now) {
        Instant first = r.first();
        while (first.isBefore(now.minus(r.every()))) {
            first = first.plus(r.every());
        }
        return first;
    }

    private void recurring(Campaign c, Instant due, Duration every, Instant now) {
        at(c, c.key() + "@" + due, due, now);
        Instant next = due.plus(every);
        scheduler.schedule(() -> recurring(c, next, every, clock.instant()),
                Math.max(0, Duration.between(now, next).toMillis()), TimeUnit.MILLISECONDS);
    }

    private void at(Campaign c, String scope, Instant due, Instant now) {
        runs.open(c.key(), scope, due);
        status.put(scope, Map.of("state", "scheduled", "due", due.toString()));
        scheduler.schedule(() -> run(c, scope, due), Math.max(0, Duration.between(now, due).toMillis()), TimeUnit.MILLISECONDS);
    }

    /** From now on a run enqueues its recipients as send jobs instead of sending them from this node. */
    void queueRuns(Queued q) {
        this.queued = Optional.of(q);
    }

    private void run(Campaign c, String scope, Instant due) {
        if (queued.isPresent()) {
            enqueue(c, scope, due, queued.get());
            return;
        }
        status.put(scope, Map.of("state", "running", "due", due.toString()));
        try {
            CampaignDispatcher.Report r = dispatcher.run(c, scope, due);
            if (r.later().isEmpty()) {
                runs.finish(scope);
            }
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

    /**
     * Pages the audience into send jobs (each durable before the next page is read) and finishes
     * the run once all are enqueued. A run interrupted meanwhile stays open and is enqueued again by
     * {@link #resume}; the jobs then repeated find their ledger rows and send nothing.
     */
    private void enqueue(Campaign c, String scope, Instant due, Queued q) {
        status.put(scope, Map.of("state", "enqueueing", "due", due.toString()));
        try {
            long n = 0;
            String after = "";
            while (true) {
                java.util.List<String> page = q.members().members(c.audience().segment(), after, 1000);
                if (page.isEmpty()) {
                    break;
                }
                q.jobs().enqueue(page.stream().map(id -> new io.tessera.delivery.campaign.SendJob(c.key(), scope, id, due)).toList());
                n += page.size();
                after = page.getLast();
            }
            runs.finish(scope);
            status.put(scope, Map.of("state", "enqueued", "due", due.toString(), "jobs", n));
        } catch (RuntimeException e) {
            LOG.error("campaign run {}: enqueueing send jobs failed", scope, e);
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
