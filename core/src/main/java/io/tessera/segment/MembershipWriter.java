package io.tessera.segment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the segment engine's membership changes, timers and log positions behind it, as a group
 * commit, and then tells the {@link MembershipListener}s.
 *
 * <p><b>Implementation notes.</b> The engine hands over one {@link Writes} per operation (a
 * profile-engine batch, a page of timers, a backfill page) and goes on evaluating; a drain task on
 * {@code executor} takes every operation queued so far, merges them (the log keeps every change in
 * order; timers keep each profile's last value; positions their maximum) and writes them in three
 * transactions: the membership changes, then the timers, then the positions. So one commit serves
 * as many operations as arrived while the previous one was being written, and the two cores are
 * pipelined (evaluate batch n+1 while batch n commits). Measured in SegmentBench, see
 * docs/BENCHMARKS.md "Segments".
 *
 * <p><b>Durability rule.</b> A membership change is <em>made</em> when it is durable and delivered
 * to the listeners; latency is measured to that point. The write order makes every crash
 * recoverable from the durable state: a log position is recorded only after the memberships and
 * timers of every batch up to it are written, so a crash before that leaves the position behind
 * the profile store and {@link MembershipRecovery} (or {@link PartitionHandover}) re-evaluates
 * the profiles past it; a timer-caused change is written before its timer moves, so a crash in
 * between leaves the old (overdue) timer, which fires again and finds nothing left to change.
 *
 * <p><b>Reads while unwritten.</b> Every queued change and timer is also kept in an overlay per
 * profile until written; the engine reads the stores through {@link #memberships} and
 * {@link #timer}, which read the overlay <em>before</em> the store: a drain committing in between
 * is then seen by the store read, and the overlay holds the same values. Only the engine (under
 * its lock) adds to the overlay, so nothing newer can appear during a read.
 *
 * <p><b>Failures.</b> A failed transaction is retried in process, with backoff ({@link Retry}),
 * from the step that failed (the steps already committed are not written twice), while the engine
 * goes on queueing until the queue is full; nothing is lost and the order is kept. Only when the
 * retries are exhausted (by default they never are), or the store refused the write for good
 * ({@link WriteRefusedException}: a fenced node), does the writer drop everything queued (the
 * next start recovers from the positions, which stop advancing) and report it once to the engine
 * through {@link #failure}, which then drops its cache ({@code SegmentEngine.abandon}).
 *
 * <p><b>Threading.</b> {@link #submit} is called under the engine's lock; drains run on
 * {@code executor} (one at a time); {@link #awaitWritten} from any thread not holding the lock.
 * With a direct executor ({@code Runnable::run}) every submit is written before it returns, as in
 * the tests that read the stores right after an operation. Backpressure: {@link #awaitCapacity}
 * waits while more than {@code maxQueuedChanges} changes are unwritten.
 */
public final class MembershipWriter {
    private final MembershipStore memberships;
    private final WindowTimerStore timers;
    private final Executor executor;
    private final int maxQueuedChanges;
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private final List<Queued> queue = new ArrayList<>();
    /** Operations submitted and not yet written (queued or in the commit in progress), by sequence. */
    private final java.util.TreeSet<Long> unwritten = new java.util.TreeSet<>();
    private final Map<String, Pending> overlay = new ConcurrentHashMap<>();
    private long submitted;
    private int queuedChanges;
    private boolean draining;
    private volatile RuntimeException failed;
    private volatile long groups;
    private final Retry retry;
    private final Condition backoff = lock.newCondition();
    private volatile long retries;
    private volatile Optional<RuntimeException> lastFailure = Optional.empty();
    /** The least time from the start of one group commit to the start of the next ({@link #GROUP_INTERVAL}). */
    private final long groupIntervalNanos;
    /** Signalled when the queue holds a full group: the writer stops waiting for more. */
    private final Condition full = lock.newCondition();
    private long lastGroupNanos = System.nanoTime() - (1L << 40);

    /**
     * How a failed transaction of a group commit is retried: after {@code first}, doubling up to
     * {@code max}, at most {@code attempts} tries of the same step in all.
     */
    public record Retry(int attempts, java.time.Duration first, java.time.Duration max) {
        /** Until it succeeds: 10 ms doubling to 2 s (an outage stalls the queue, then the engine; nothing is dropped). */
        public static final Retry FOREVER = new Retry(Integer.MAX_VALUE, java.time.Duration.ofMillis(10), java.time.Duration.ofSeconds(2));

        public Retry {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1");
            }
        }

        long delayNanos(int failedAttempts) {
            long d = first.toNanos() << Math.min(30, failedAttempts - 1);
            return Math.min(d < 0 ? Long.MAX_VALUE : d, max.toNanos());
        }
    }

    /** The writes of one engine operation. */
    record Writes(List<MembershipChange> changes, Map<String, Optional<Instant>> timers,
                  Map<String, Integer> timerPartitions, Map<Integer, Long> positions) {
        boolean isEmpty() {
            return changes.isEmpty() && timers.isEmpty() && positions.isEmpty();
        }
    }

    /** A queued operation: its sequence, writes, whether it is urgent (a timer's), and the profiles it touches. */
    private record Queued(long seq, Writes writes, boolean urgent, java.util.Set<String> profiles) {}

    /**
     * Changes a group commit takes from the head of the queue, at most (a whole operation at least):
     * so an urgent operation waits for at most one commit of about this size.
     */
    static final int MAX_GROUP_CHANGES = 10_000;

    /**
     * Under load the writer starts a group commit at most this often, gathering what arrives in
     * between (a change waiting alone, after a quiet spell, is written at once). Each commit costs
     * about the same whatever it holds (the WAL frames of the pages it touched, and the fsync a
     * server database pays): committing as fast as it could, the SQLite writer made ~3,800 commits
     * of 3 events a second at 10,000 events/s and used ~86 µs of CPU and wrote 8 KB of WAL an
     * event (SegmentBench, docs/BENCHMARKS.md "Segments, session 9"). Waiting up to 1 ms
     * adds at most that to a change's latency (2 ms gave the same p99, a median 0.8 ms higher and
     * ~10% less writer CPU).
     */
    public static final java.time.Duration GROUP_INTERVAL = java.time.Duration.ofMillis(1);

    /** What is unwritten for one profile: segment → since (empty: left), the timer, and the last operation touching it. */
    private record Pending(Map<String, Optional<Instant>> segments, Optional<Optional<Instant>> timer, long seq) {}

    /** Retries a failed write until it succeeds ({@link Retry#FOREVER}). */
    public MembershipWriter(MembershipStore memberships, WindowTimerStore timers, Executor executor, int maxQueuedChanges) {
        this(memberships, timers, executor, maxQueuedChanges, Retry.FOREVER);
    }

    public MembershipWriter(MembershipStore memberships, WindowTimerStore timers, Executor executor, int maxQueuedChanges, Retry retry) {
        this(memberships, timers, executor, maxQueuedChanges, retry, GROUP_INTERVAL);
    }

    /** @param groupInterval the least time between the starts of two group commits (zero: back to back) */
    public MembershipWriter(MembershipStore memberships, WindowTimerStore timers, Executor executor, int maxQueuedChanges, Retry retry,
                            java.time.Duration groupInterval) {
        this.groupIntervalNanos = groupInterval.toNanos();
        this.memberships = memberships;
        this.timers = timers;
        this.executor = executor;
        this.maxQueuedChanges = maxQueuedChanges;
        this.retry = retry;
    }

    /** Writes on the calling thread (tests, tools): every operation is durable when the engine returns. */
    public static MembershipWriter inline(MembershipStore memberships, WindowTimerStore timers) {
        return new MembershipWriter(memberships, timers, Runnable::run, Integer.MAX_VALUE, Retry.FOREVER, java.time.Duration.ZERO);
    }

    void addListener(MembershipListener listener) {
        listeners.add(listener);
    }

    /**
     * Waits while more than {@code maxQueuedChanges} changes are unwritten. The engine calls it
     * <em>before</em> taking its lock, so a full queue holds back the profile engine's thread, not
     * the timer runner: a timer's changes join the queue at once and are written with the next
     * group commit (the queue may exceed the bound by one operation).
     */
    void awaitCapacity() {
        lock.lock();
        try {
            while (queuedChanges > maxQueuedChanges && draining && failed == null) {
                progress.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues one operation's writes (under the engine's lock) without waiting; see {@link #awaitCapacity}. */
    void submit(Writes w) {
        submit(w, false);
    }

    /**
     * Queues one operation's writes; an {@code urgent} one (fired timers) goes into the next group
     * commit ahead of the queued operations, unless one of them touches the same profiles.
     */
    long submit(Writes w, boolean urgent) {
        if (w.isEmpty()) {
            return 0;
        }
        boolean start;
        long seq;
        lock.lock();
        try {
            seq = ++submitted;
            java.util.Set<String> profiles = new java.util.HashSet<>(w.timers().keySet());
            for (MembershipChange c : w.changes()) {
                profiles.add(c.profileId());
                overlay.compute(c.profileId(), (id, p) -> {
                    Map<String, Optional<Instant>> segments = p == null ? new HashMap<>(4) : p.segments();
                    segments.put(c.segment(), c.entered() ? Optional.of(c.at()) : Optional.empty());
                    return new Pending(segments, p == null ? Optional.empty() : p.timer(), seq);
                });
            }
            w.timers().forEach((id, due) -> overlay.compute(id, (k, p) ->
                    new Pending(p == null ? new HashMap<>(4) : p.segments(), Optional.of(due), seq)));
            queue.add(new Queued(seq, w, urgent, profiles));
            unwritten.add(seq);
            queuedChanges += w.changes().size();
            if (queuedChanges >= MAX_GROUP_CHANGES) {
                full.signal();
            }
            start = !draining;
            draining = true;
        } finally {
            lock.unlock();
        }
        if (start) {
            executor.execute(this::drain);
        }
        return seq;
    }

    /**
     * Waits until the operation {@link #submit} numbered {@code seq} is written (or has failed), at
     * most {@code timeoutNanos}; returns whether it is.
     */
    boolean awaitWritten(long seq, long timeoutNanos) {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (unwritten.contains(seq) && failed == null && left > 0) {
                left = progress.awaitNanos(left);
            }
            return !unwritten.contains(seq);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a timer of this profile is queued or being written (the store does not have it yet). */
    boolean timerUnwritten(String profileId) {
        Pending p = overlay.get(profileId);
        return p != null && p.timer().isPresent();
    }

    /** The durable memberships of a profile with the unwritten changes laid over them. */
    Map<String, Instant> memberships(String profileId) {
        Pending p = overlay.get(profileId);
        Map<String, Instant> stored = memberships.memberships(profileId);
        return p == null ? stored : laid(stored, p);
    }

    /** {@link #memberships(String)} for a page of profiles; absent when none. */
    Map<String, Map<String, Instant>> memberships(List<String> profileIds) {
        Map<String, Pending> pending = new HashMap<>();
        for (String id : profileIds) {
            Pending p = overlay.get(id);
            if (p != null) {
                pending.put(id, p);
            }
        }
        Map<String, Map<String, Instant>> stored = memberships.memberships(profileIds);
        if (pending.isEmpty()) {
            return stored;
        }
        Map<String, Map<String, Instant>> out = new HashMap<>(stored);
        pending.forEach((id, p) -> out.put(id, laid(stored.getOrDefault(id, Map.of()), p)));
        return out;
    }

    /** {@link #memberships(List)} of only these segments (other segments' may be present or not). */
    Map<String, Map<String, Instant>> memberships(List<String> profileIds, java.util.Set<String> segments) {
        Map<String, Map<String, Instant>> stored = memberships.memberships(profileIds, segments);
        Map<String, Map<String, Instant>> out = null;
        for (String id : profileIds) {
            Pending p = overlay.get(id);
            if (p != null) {
                out = out == null ? new HashMap<>(stored) : out;
                out.put(id, laid(stored.getOrDefault(id, Map.of()), p));
            }
        }
        return out == null ? stored : out;
    }

    private static Map<String, Instant> laid(Map<String, Instant> stored, Pending p) {
        Map<String, Instant> m = new HashMap<>(stored);
        p.segments().forEach((segment, since) -> {
            if (since.isPresent()) {
                m.put(segment, since.get());
            } else {
                m.remove(segment);
            }
        });
        return m;
    }

    /** The durable timer of a profile, or its unwritten one. */
    Optional<Instant> timer(String profileId) {
        Pending p = overlay.get(profileId);
        Optional<Instant> stored = timers.scheduled(profileId);
        return p != null && p.timer().isPresent() ? p.timer().get() : stored;
    }

    /** {@link #timer(String)} for a page of profiles; absent when none. */
    Map<String, Instant> timers(List<String> profileIds) {
        Map<String, Pending> pending = new HashMap<>();
        for (String id : profileIds) {
            Pending p = overlay.get(id);
            if (p != null && p.timer().isPresent()) {
                pending.put(id, p);
            }
        }
        Map<String, Instant> stored = timers.scheduled(profileIds);
        if (pending.isEmpty()) {
            return stored;
        }
        Map<String, Instant> out = new HashMap<>(stored);
        pending.forEach((id, p) -> {
            Optional<Instant> due = p.timer().get();
            if (due.isPresent()) {
                out.put(id, due.get());
            } else {
                out.remove(id);
            }
        });
        return out;
    }

    /** Blocks until everything submitted so far is written (or has failed). Not under the engine's lock. */
    public void awaitWritten() {
        lock.lock();
        try {
            long target = submitted;
            while (!unwritten.isEmpty() && unwritten.first() <= target && failed == null) {
                progress.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Group commits so far. */
    public long groups() {
        return groups;
    }

    /** Failed transactions retried so far (each retry after a failure counts once). */
    public long retries() {
        return retries;
    }

    /** The last failure of a write, retried or not (for health reporting). */
    public Optional<RuntimeException> lastFailure() {
        return lastFailure;
    }

    /** The failure of a write since the last call, once, after its retries ran out; the queue was dropped with it. */
    Optional<RuntimeException> failure() {
        RuntimeException f = failed;
        if (f == null) {
            return Optional.empty();
        }
        lock.lock();
        try {
            failed = null;
            return Optional.of(f);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next group commit (under {@code lock}): the urgent operations no earlier queued operation
     * shares a profile with, first, then operations from the head of the queue, in order, up to
     * {@link #MAX_GROUP_CHANGES}. Per profile the order is kept: an urgent operation goes ahead
     * only of operations on other profiles, and whatever follows it on its profiles comes after it
     * (later in this group or in a later one). Positions ride only on operations taken in order
     * from the head, so a position is still written after every operation queued before it.
     */
    private List<Queued> nextGroup() {
        List<Queued> group = new ArrayList<>();
        java.util.Set<String> behind = new java.util.HashSet<>();
        for (java.util.Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
            Queued q = it.next();
            if (q.urgent() && q.writes().positions().isEmpty() && java.util.Collections.disjoint(q.profiles(), behind)) {
                group.add(q);
                it.remove();
            } else {
                behind.addAll(q.profiles());
            }
        }
        int changes = 0;
        while (!queue.isEmpty() && (changes == 0 || changes + queue.get(0).writes().changes().size() <= MAX_GROUP_CHANGES)) {
            Queued q = queue.remove(0);
            changes += q.writes().changes().size();
            group.add(q);
        }
        return group;
    }

    /**
     * Waits (under {@code lock}, which the wait releases) until {@link #GROUP_INTERVAL} has passed
     * since the last group commit started, or a full group is queued, or an earlier write failed.
     */
    private void gather() {
        long left = lastGroupNanos + groupIntervalNanos - System.nanoTime();
        try {
            while (left > 0 && queuedChanges < MAX_GROUP_CHANGES && failed == null) {
                left = full.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            // shutting down: write what is queued now
            Thread.currentThread().interrupt();
        }
        lastGroupNanos = System.nanoTime();
    }

    private void drain() {
        while (true) {
            List<Queued> taken;
            lock.lock();
            try {
                if (queue.isEmpty()) {
                    draining = false;
                    progress.signalAll();
                    return;
                }
                gather();
                taken = nextGroup();
            } finally {
                lock.unlock();
            }
            List<Writes> group = taken.stream().map(Queued::writes).toList();
            java.util.Set<Long> seqs = new java.util.HashSet<>();
            taken.forEach(q -> seqs.add(q.seq()));
            try {
                write(group);
                groups++;
                // Written: an entry whose last operation is still queued stays in the overlay.
                // (conditional removes: the engine may be replacing an entry with a newer one meanwhile)
                // Only the group's profiles are looked at: a walk of the whole overlay per group cost
                // time in proportion to the backlog (SegmentBench, JFR, session 6).
                for (Queued q : taken) {
                    for (String id : q.profiles()) {
                        Pending p = overlay.get(id);
                        if (p != null && seqs.contains(p.seq())) {
                            overlay.remove(id, p);
                        }
                    }
                }
                lock.lock();
                try {
                    unwritten.removeAll(seqs);
                    queuedChanges -= group.stream().mapToInt(w -> w.changes().size()).sum();
                    progress.signalAll();
                } finally {
                    lock.unlock();
                }
            } catch (RuntimeException e) {
                lock.lock();
                try {
                    failed = e;
                    queue.clear();
                    unwritten.clear();
                    overlay.clear();
                    queuedChanges = 0;
                    draining = false;
                    progress.signalAll();
                } finally {
                    lock.unlock();
                }
                return;
            }
        }
    }

    /**
     * One group commit: the changes, then the timers, then the positions (see the durability rule).
     * The listeners hear of the changes as soon as they are durable, before the timers and positions
     * are written: neither changes what a listener is told, and a crash in between re-evaluates
     * against the durable memberships, so nothing is delivered twice (this took the two later
     * transactions out of every change's latency, SegmentBench, docs/BENCHMARKS.md "Segments,
     * session 10").
     */
    private void write(List<Writes> group) {
        List<MembershipChange> changes = new ArrayList<>();
        Map<String, Optional<Instant>> due = new LinkedHashMap<>();
        Map<String, Integer> partitions = new HashMap<>();
        Map<Integer, Long> positions = new HashMap<>();
        for (Writes w : group) {
            changes.addAll(w.changes());
            due.putAll(w.timers());
            partitions.putAll(w.timerPartitions());
            w.positions().forEach((k, v) -> positions.merge(k, v, Math::max));
        }
        if (!changes.isEmpty()) {
            retrying(() -> memberships.apply(changes, Map.of()));
            for (MembershipListener l : listeners) {
                l.onChanges(changes);
            }
        }
        if (!due.isEmpty()) {
            retrying(() -> timers.apply(due, partitions));
        }
        if (!positions.isEmpty()) {
            retrying(() -> memberships.apply(List.of(), positions));
        }
    }

    /**
     * Runs one transaction, again after a backoff while it fails (a store's transaction either
     * commits or leaves nothing behind, so running it again writes it once); rethrows the last
     * failure when the attempts run out.
     */
    private void retrying(Runnable transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                transaction.run();
                return;
            } catch (RuntimeException e) {
                lastFailure = Optional.of(e);
                if (attempt >= retry.attempts() || e instanceof WriteRefusedException) {
                    throw e;
                }
                retries++;
                pause(retry.delayNanos(attempt));
            }
        }
    }

    /** Waits on the writer's own thread (nothing signals {@code backoff}: a timed wait). */
    private void pause(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (left > 0) {
                left = backoff.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a segment write", e);
        } finally {
            lock.unlock();
        }
    }
}
