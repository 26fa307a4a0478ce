package io.tessera.delivery.dispatch;

import io.tessera.delivery.campaign.Campaign;
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
        List<TriggerQueue.Entry> due;
        do {
            due = queue.dueBy(clock.instant(), BATCH);
            int moved = 0;
            for (TriggerQueue.Entry e : due) {
                Optional<Campaign> c = definitions.computeIfAbsent(e.campaign(), campaigns::get);
                if (c.isEmpty() || c.get().trigger().isEmpty()) {
                    queue.remove(e);
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
