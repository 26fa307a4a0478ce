package io.tessera.server.delivery;

import io.tessera.delivery.SendLedger;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.CampaignRuns;
import io.tessera.delivery.campaign.CampaignState;
import io.tessera.delivery.campaign.SegmentMembers;
import io.tessera.delivery.dispatch.CampaignDispatcher;
import io.tessera.delivery.dispatch.RunGate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires campaign runs: now, at a time, or every period (each run its own ledger scope
 * {@code key@<due instant>}), and a follow-up run of the same scope when recipients were deferred
 * to their local send time, quiet hours or a relay outage. Started runs are recorded in
 * {@link CampaignRuns} until finished, and {@link #resume} re-schedules them after a restart;
 * who was already sent to is the ledger's, so the resumed run completes the campaign without duplicates.
 *
 * <p>Pause, resume, cancel ({@link #control}): the state is durable ({@link CampaignControls}); a
 * running run stops claiming between batches (its {@link RunGate}) and stays open, a scheduled run
 * does not start. Resuming re-schedules the campaign's open runs, which continue where they stopped
 * (the ledger skips everyone handled); occurrences of a recurring schedule that fell due while
 * paused are skipped, not made up. Cancelling closes every open run with its count of recipients
 * not sent (audience members without a ledger row in that run) — the running run counts once it
 * has stopped, the others at once on their own thread — and, for a triggered campaign, the
 * entries still queued.
 *
 * <p>In a cluster ({@link #queueRuns}) a run is not timed by the node that started it: it is
 * kept open in {@link CampaignRuns} and fired by the node that owns its scope's partition of the
 * send-jobs queue when it comes due, so schedules move with partitions when nodes come and go.
 *
 * <p>Threading: one scheduler thread decides when; runs execute on it one at a time (the
 * dispatcher's own pool does the sending). {@link #status} is readable from any thread;
 * {@link #control} is serialized on this object.
 */
final class CampaignRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignRunner.class);
    private static final String RECURRING = "@recurring";
    private static final int PAGE = 1000;

    private final CampaignDispatcher dispatcher;
    private final InstantSource clock;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("campaign-scheduler").daemon().factory());
    private final Map<String, Object> status = new ConcurrentHashMap<>();
    /** Scheduled, not yet started runs (and recurring chains under {@code key@recurring}), so a pause can withdraw them. */
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    /** Scopes whose run is executing: their state is reported by the run itself when it stops. */
    private final java.util.Set<String> running = ConcurrentHashMap.newKeySet();
    private final CampaignRuns runs;
    /** In a cluster: runs are paged into send jobs that every node takes a share of. */
    private volatile Optional<Queued> queued = Optional.empty();

    /** The send-jobs queue, where the audience is read from, and the campaigns' current definitions. */
    record Queued(io.tessera.delivery.campaign.SendJobQueue jobs, io.tessera.delivery.campaign.SegmentMembers members,
                  Function<String, Optional<Campaign>> campaigns) {}

    private final CampaignControls controls;
    private final SegmentMembers members;
    private final SendLedger ledger;
    private final ToLongFunction<String> queuedTriggers;
    /** The scope the scheduler thread is running now ("" when none): a cancel leaves it to close itself. */
    private volatile String runningScope = "";

    /**
     * @param members        the audience, to count who a cancelled run did not send
     * @param queuedTriggers entries a triggered campaign still has queued (dropped by a cancel)
     */
    CampaignRunner(CampaignDispatcher dispatcher, InstantSource clock, CampaignRuns runs, CampaignControls controls,
                   SegmentMembers members, SendLedger ledger, ToLongFunction<String> queuedTriggers) {
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.runs = runs;
        this.controls = controls;
        this.members = members;
        this.ledger = ledger;
        this.queuedTriggers = queuedTriggers;
    }

    /**
     * Re-schedules every run left open by a previous process (at its due time, or now if that
     * passed) and recurring schedules; the ledger makes each resumed run send only to whoever
     * was not handled yet. Runs of a paused campaign stay open until it is resumed; those of a
     * cancelled one are closed. Returns how many were resumed.
     */
    int resume(Function<String, Optional<Campaign>> campaigns) {
        if (queued.isPresent()) {
            return 0; // in a cluster the owner of each open run's partition fires it (fireOwnedRuns)
        }
        Instant now = clock.instant();
        int resumed = 0;
        for (CampaignRuns.Run run : runs.openRuns()) {
            Optional<Campaign> c = campaigns.apply(run.campaign()).filter(x -> x.trigger().isEmpty());
            if (c.isEmpty()) {
                runs.finish(run.scope());
                continue;
            }
            CampaignState state = controls.state(run.campaign());
            if (state == CampaignState.CANCELLED) {
                scheduler.execute(() -> settleCancelled(c.get(), run.scope()));
                continue;
            }
            if (state == CampaignState.PAUSED) {
                status.put(run.scope(), Map.of("state", "paused", "due", run.due().toString()));
                continue;
            }
            if (resumeRun(c.get(), run, now)) {
                resumed++;
            }
        }
        if (resumed > 0) {
            LOG.info("resumed {} campaign runs left open by the previous process", resumed);
        }
        return resumed;
    }

    private boolean resumeRun(Campaign c, CampaignRuns.Run run, Instant now) {
        if (run.scope().equals(c.key() + RECURRING)) {
            if (c.schedule() instanceof Campaign.Schedule.Recurring r) {
                Instant from = r.first().isAfter(run.due()) ? r.first() : run.due();
                recurring(c, firstDue(new Campaign.Schedule.Recurring(from, r.every()), now), r.every(), now);
                return true;
            }
            runs.finish(run.scope());
            return false;
        }
        at(c, run.scope(), run.due(), now);
        return true;
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
                if (queued.isEmpty()) {
                    recurring(c, first, r.every(), now);
                }
                yield Map.of("status", "scheduled", "first", first.toString(), "every", r.every().toString());
            }
        };
    }

    /**
     * Whether the campaign has nothing left to control: a one-shot campaign (now / at, not
     * triggered) whose run was started and has decided every recipient.
     */
    boolean finished(Campaign c) {
        return c.trigger().isEmpty() && !(c.schedule() instanceof Campaign.Schedule.Recurring) && runs.finished(c.key());
    }

    /** Applies a pause, resume or cancel (or checks a start) and acts on it; returns the transition. */
    synchronized CampaignState.Transition control(Campaign c, CampaignState.Action action) {
        CampaignState.Transition t = controls.change(c.key(), action, finished(c));
        if (t instanceof CampaignState.Transition.Changed changed) {
            switch (changed.to()) {
                case PAUSED -> withdrawScheduled(c.key(), "paused");
                case ACTIVE -> resumeOpenRuns(c);
                case CANCELLED -> {
                    withdrawScheduled(c.key(), "cancelled");
                    if (c.trigger().isPresent()) {
                        runs.cancel(c.key(), c.key() + "#queued", queuedTriggers.applyAsLong(c.key()));
                    }
                    // the run executing now (if it is this campaign's) closes itself once its gate has stopped it;
                    // the others are counted now, off the scheduler, which may be busy with another campaign
                    List<CampaignRuns.Run> idle = openRunsOf(c.key()).stream()
                            .filter(run -> !run.scope().equals(runningScope)).toList();
                    Thread.ofVirtual().name("campaign-cancel-" + c.key())
                            .start(() -> idle.forEach(run -> settleCancelled(c, run.scope())));
                }
            }
        }
        return t;
    }

    private List<CampaignRuns.Run> openRunsOf(String key) {
        return runs.openRuns().stream().filter(r -> r.campaign().equals(key)).toList();
    }

    private void withdrawScheduled(String key, String state) {
        pending.forEach((scope, future) -> {
            // a run scheduled with no delay may already be executing before its future was put here
            if (belongsTo(scope, key) && !running.contains(scope) && future.cancel(false)) {
                pending.remove(scope, future);
                status.put(scope, Map.of("state", state));
            }
        });
    }

    private void resumeOpenRuns(Campaign c) {
        Instant now = clock.instant();
        for (CampaignRuns.Run run : openRunsOf(c.key())) {
            if (queued.isPresent()) {
                // in a cluster the partition's owner fires what is due; a recurring schedule skips what fell due while paused
                if (run.scope().equals(c.key() + RECURRING) && c.schedule() instanceof Campaign.Schedule.Recurring r) {
                    Instant next = firstDue(r, now);
                    runs.open(c.key(), run.scope(), next.isBefore(now) ? next.plus(r.every()) : next);
                }
                continue;
            }
            if (run.scope().equals(c.key() + RECURRING) && c.schedule() instanceof Campaign.Schedule.Recurring r) {
                Instant next = firstDue(r, now);
                next = next.isBefore(now) ? next.plus(r.every()) : next;
                runs.open(c.key(), run.scope(), next);
                recurring(c, next, r.every(), now);
            } else {
                resumeRun(c, run, now);
            }
        }
    }

    private static Instant firstDue(Campaign.Schedule.Recurring r, Instant now) {
        Instant first = r.first();
        while (first.isBefore(now.minus(r.every()))) {
            first = first.plus(r.every());
        }
        return first;
    }

    private void recurring(Campaign c, Instant due, Duration every, Instant now) {
        if (controls.state(c.key()) != CampaignState.ACTIVE) {
            return;
        }
        at(c, c.key() + "@" + due, due, now);
        Instant next = due.plus(every);
        pending.put(c.key() + RECURRING, scheduler.schedule(() -> recurring(c, next, every, clock.instant()),
                Math.max(0, Duration.between(now, next).toMillis()), TimeUnit.MILLISECONDS));
    }

    private void at(Campaign c, String scope, Instant due, Instant now) {
        runs.open(c.key(), scope, due);
        status.put(scope, Map.of("state", "scheduled", "due", due.toString()));
        if (queued.isEmpty()) {
            schedule(c, scope, due, Duration.between(now, due));
        }
    }

    private void schedule(Campaign c, String scope, Instant due, Duration in) {
        pending.put(scope, scheduler.schedule(() -> run(c, scope, due), Math.max(0, in.toMillis()), TimeUnit.MILLISECONDS));
    }

    /**
     * Cluster mode, from now on: a run enqueues its recipients as send jobs instead of sending them
     * from this node, and runs are fired by whichever node owns their scope's partition of the
     * send-jobs queue ({@link #fireOwnedRuns}, every second), not by the node that started them.
     */
    void queueRuns(Queued q) {
        this.queued = Optional.of(q);
        scheduler.scheduleWithFixedDelay(this::fireOwnedRuns, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Cluster mode: fires the open runs that are due and whose scope this node owns now. A schedule
     * thus fires on one node, and when that node dies or leaves, its partitions — and with them its
     * schedules — move to the others, which find the runs still open (durable in
     * {@link CampaignRuns}) and fire them. A run interrupted mid-enqueue is enqueued again by its
     * next owner; the repeated jobs find their ledger rows and send nothing. A recurring schedule
     * opens its occurrence as a run of its own (fired by that scope's owner) and moves on to the
     * next occurrence; one missed while no node ran is made up once, like at a restart.
     */
    private void fireOwnedRuns() {
        Queued q = queued.orElseThrow();
        Instant now = clock.instant();
        try {
            for (CampaignRuns.Run run : runs.openRuns()) {
                if (run.due().isAfter(now) || running.contains(run.scope()) || !q.jobs().owns(run.scope())) {
                    continue;
                }
                Optional<Campaign> c = q.campaigns().apply(run.campaign()).filter(x -> x.trigger().isEmpty());
                if (c.isEmpty()) {
                    runs.finish(run.scope());
                    continue;
                }
                CampaignState state = controls.state(run.campaign());
                if (state == CampaignState.PAUSED) {
                    continue;
                }
                if (state == CampaignState.CANCELLED) {
                    settleCancelled(c.get(), run.scope());
                    continue;
                }
                if (!run.scope().equals(run.campaign() + RECURRING)) {
                    run(c.get(), run.scope(), run.due());
                } else if (c.get().schedule() instanceof Campaign.Schedule.Recurring r) {
                    runs.open(run.campaign(), run.campaign() + "@" + run.due(), run.due());
                    runs.open(run.campaign(), run.scope(), firstDue(new Campaign.Schedule.Recurring(run.due().plus(r.every()), r.every()), now));
                } else {
                    runs.finish(run.scope());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("firing due campaign runs failed; retrying in a second", e);
        }
    }

    private void run(Campaign c, String scope, Instant due) {
        running.add(scope);
        try {
            runNow(c, scope, due);
        } finally {
            running.remove(scope);
        }
    }

    private void runNow(Campaign c, String scope, Instant due) {
        pending.remove(scope);
        CampaignState before = controls.state(c.key());
        if (before == CampaignState.PAUSED) {
            status.put(scope, Map.of("state", "paused", "due", due.toString()));
            return;
        }
        if (before == CampaignState.CANCELLED) {
            settleCancelled(c, scope);
            return;
        }
        if (queued.isPresent()) {
            enqueue(c, scope, due, queued.get());
            return;
        }
        status.put(scope, Map.of("state", "running", "due", due.toString()));
        runningScope = scope;
        try {
            AtomicBoolean stopped = new AtomicBoolean();
            RunGate gate = key -> {
                boolean open = controls.mayClaim(key);
                if (!open) {
                    stopped.set(true);
                }
                return open;
            };
            CampaignDispatcher.Report r = dispatcher.run(c, scope, due, gate);
            if (stopped.get()) {
                stoppedEarly(c, scope, due, r);
                return;
            }
            if (r.later().isEmpty()) {
                runs.finish(scope);
            }
            status.put(scope, Map.of("state", r.later().isEmpty() ? "done" : "waiting", "due", due.toString(),
                    "sent", r.sent(), "bounced", r.bounced(), "skipped", r.skipped(), "later", r.later().size()));
            r.later().values().stream().min(Comparator.naturalOrder()).ifPresent(next ->
                    schedule(c, scope, due, Duration.between(clock.instant(), next)));
        } catch (RuntimeException e) {
            LOG.error("campaign run {} failed", scope, e);
            status.put(scope, Map.of("state", "failed", "due", due.toString(), "error", String.valueOf(e.getMessage())));
        } finally {
            runningScope = "";
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


    /** The gate closed mid-run: the run stays open (paused), is closed (cancelled), or was already re-scheduled (resumed meanwhile). */
    private void stoppedEarly(Campaign c, String scope, Instant due, CampaignDispatcher.Report r) {
        switch (controls.state(c.key())) {
            case CANCELLED -> settleCancelled(c, scope);
            case PAUSED -> status.put(scope, Map.of("state", "paused", "due", due.toString(),
                    "sent", r.sent(), "bounced", r.bounced(), "skipped", r.skipped()));
            case ACTIVE -> LOG.info("campaign run {} was paused and resumed while running; the resume continues it", scope);
        }
    }

    /** Closes a run of a cancelled campaign with how many of its audience it never sent. */
    private void settleCancelled(Campaign c, String scope) {
        long notSent = scope.equals(c.key() + RECURRING) ? 0 : notSent(c, scope);
        runs.cancel(c.key(), scope, notSent);
        status.put(scope, Map.of("state", "cancelled", "notSent", notSent));
        LOG.info("campaign run {} cancelled; {} recipients not sent", scope, notSent);
    }

    /** Audience members (less the excluded segment) the ledger holds no row for in this run. */
    private long notSent(Campaign c, String scope) {
        Set<String> handled = new HashSet<>();
        ledger.rows(scope).forEach(r -> handled.add(r.key().profileId()));
        long n = 0;
        String after = "";
        while (true) {
            List<String> page = members.members(c.audience().segment(), after, PAGE);
            if (page.isEmpty()) {
                return n;
            }
            for (String id : page) {
                if (!handled.contains(id)
                        && !c.audience().excluding().map(x -> members.contains(x, id)).orElse(false)) {
                    n++;
                }
            }
            after = page.getLast();
        }
    }

    private static boolean belongsTo(String scope, String key) {
        return scope.equals(key) || scope.startsWith(key + "@");
    }

    Map<String, Object> status(String key) {
        Map<String, Object> out = new java.util.TreeMap<>();
        status.forEach((scope, s) -> {
            if (belongsTo(scope, key)) {
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
