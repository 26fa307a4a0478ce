package io.tessera.delivery.dispatch;

import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.CampaignControl;
import io.tessera.delivery.campaign.CampaignState;
import io.tessera.delivery.campaign.CampaignStore;
import io.tessera.delivery.campaign.SendOutcome;
import io.tessera.delivery.campaign.TriggerQueue;
import io.tessera.segment.MembershipChange;
import io.tessera.segment.MembershipListener;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Triggered campaigns: a profile entering a campaign's trigger segment queues a send due
 * {@code delay} later in the durable {@link TriggerQueue}; when it is due the normal send pipeline
 * runs for it under the ledger scope {@code campaign#<entry time>}, which re-checks membership
 * (a profile that left meanwhile is skipped), applies the frequency cap (counted from the ledger
 * across all campaigns), quiet hours and local send time (deferred entries are moved to their new
 * due time), and claims the ledger row (so a replayed entry or a restart never sends twice).
 *
 * <p>Pause and cancel ({@link CampaignState}): a paused campaign queues no entries (entering the
 * segment while it is paused does not trigger, so resuming causes no burst), and entries queued
 * before the pause are held — looked at again every {@link #PAUSED_RECHECK} — and sent after the
 * resume, re-checked as usual. A cancelled campaign's entries are dropped as they come due.
 * {@link #refresh} must be called after a state change.
 *
 * <p>Entries caused by a segment backfill (a new or changed segment definition sweeping existing
 * profiles) do not trigger: a trigger reacts to behaviour from now on, not to history.
 *
 * <p>Threading: {@link #onChanges} runs on the segment engine's thread and only writes the queue;
 * {@link #fireDue} runs on the one poller thread started by {@link #start} (or a test's thread).
 * The trigger index is an immutable map swapped by {@link #refresh}.
 */
public final class TriggeredSends implements MembershipListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TriggeredSends.class);
    private static final int BATCH = 500;
    private static final Duration RELAY_RETRY = Duration.ofMinutes(1);
    private static final Duration MAX_IDLE = Duration.ofSeconds(1);
    /** How often an entry held by a paused campaign is looked at again; also the most a resume waits for it. */
    static final Duration PAUSED_RECHECK = Duration.ofMinutes(1);

    private final CampaignStore campaigns;
    private final TriggerQueue queue;
    private final CampaignDispatcher dispatcher;
    private final InstantSource clock;
    private volatile Map<String, List<Campaign>> bySegment = Map.of();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile boolean stopped;
    private Thread poller;

    public TriggeredSends(CampaignStore campaigns, TriggerQueue queue, CampaignDispatcher dispatcher, InstantSource clock) {
        this.campaigns = campaigns;
        this.queue = queue;
        this.dispatcher = dispatcher;
        this.clock = clock;
        refresh();
    }

    /** Re-reads which campaigns trigger on which segment; call after a campaign is saved. */
    public void refresh() {
        Map<String, List<Campaign>> index = new HashMap<>();
        for (Campaign c : campaigns.list()) {
            if (state(c.key()) != CampaignState.ACTIVE) {
                continue;
            }
            c.trigger().ifPresent(t -> index.computeIfAbsent(t.segment(), k -> new ArrayList<>()).add(c));
        }
        index.replaceAll((k, v) -> List.copyOf(v));
        bySegment = Map.copyOf(index);
    }

    @Override
    public void onChanges(List<MembershipChange> changes) {
        Map<String, List<Campaign>> index = bySegment;
        if (index.isEmpty()) {
            return;
        }
        List<TriggerQueue.Entry> entries = new ArrayList<>();
        for (MembershipChange ch : changes) {
            if (!ch.entered() || ch.cause().startsWith("backfill:")) {
                continue;
            }
            for (Campaign c : index.getOrDefault(ch.segment(), List.of())) {
                entries.add(new TriggerQueue.Entry(c.key(), ch.profileId(), ch.at(), ch.at().plus(c.trigger().orElseThrow().delay())));
            }
        }
        if (!entries.isEmpty()) {
            queue.schedule(entries);
            signal();
        }
    }

    /** What one pass over the due entries did. */
    public record Pass(int sent, int skipped, int deferred) {}

    /** Sends every entry due now; returns what happened. */
    public Pass fireDue() {
        int sent = 0;
        int skipped = 0;
        int deferred = 0;
        Map<String, Optional<Campaign>> definitions = new HashMap<>();
        Map<String, CampaignState> states = new HashMap<>();
        List<TriggerQueue.Entry> due;
        do {
            due = queue.dueBy(clock.instant(), BATCH);
            int moved = 0;
            for (TriggerQueue.Entry e : due) {
                Optional<Campaign> c = definitions.computeIfAbsent(e.campaign(), campaigns::get);
                CampaignState state = states.computeIfAbsent(e.campaign(), this::state);
                if (c.isEmpty() || c.get().trigger().isEmpty() || state == CampaignState.CANCELLED) {
                    queue.remove(e);
                    continue;
                }
                if (state == CampaignState.PAUSED) {
                    queue.reschedule(e, clock.instant().plus(PAUSED_RECHECK));
                    deferred++;
                    moved++;
                    continue;
                }
                SendOutcome o = dispatcher.sendOne(c.get(), e.scope(), e.profileId(), e.due());
                switch (o) {
                    case SendOutcome.Deferred d -> {
                        Instant retry = d.reason().startsWith("temporary_failure") ? clock.instant().plus(RELAY_RETRY) : d.notBefore();
                        queue.reschedule(e, retry.isAfter(e.due()) ? retry : e.due().plusSeconds(1));
                        deferred++;
                        moved++;
                    }
                    case SendOutcome.Sent s -> {
                        queue.remove(e);
                        sent++;
                    }
                    default -> {
                        queue.remove(e);
                        skipped++;
                    }
                }
            }
            if (moved == due.size()) {
                break;
            }
        } while (due.size() == BATCH);
        return new Pass(sent, skipped, deferred);
    }

    private CampaignState state(String campaign) {
        return campaigns.control(campaign).map(CampaignControl::state).orElse(CampaignState.ACTIVE);
    }

    /** Starts the poller thread: it sleeps until the next due entry, a new entry, or at most a second. */
    public synchronized void start() {
        if (poller != null) {
            return;
        }
        poller = Thread.ofPlatform().name("trigger-sends").daemon().start(this::loop);
    }

    private void loop() {
        while (!stopped) {
            try {
                fireDue();
            } catch (RuntimeException e) {
                LOG.error("triggered sends: pass failed", e);
            }
            lock.lock();
            try {
                Duration wait = queue.next().map(n -> Duration.between(clock.instant(), n)).orElse(MAX_IDLE);
                if (!stopped && wait.isPositive()) {
                    wake.awaitNanos(Math.min(wait.toNanos(), MAX_IDLE.toNanos()));
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    private void signal() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = poller;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
