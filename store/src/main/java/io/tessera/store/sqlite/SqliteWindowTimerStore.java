package io.tessera.store.sqlite;

import io.tessera.segment.WindowTimerStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongHeapPriorityQueue;

/**
 * Window timers in SQLite, log first, with the due-time order in memory.
 *
 * <p><b>Implementation notes.</b> The table {@code segment_timer_log(seq, profile_id, due_at)} is
 * append-only: every move of a timer is a new row at the next sequence number (the rowid, so an
 * append writes the table's last page, never a random one), a cancel is a row with a null
 * {@code due_at}, and a profile's timer is its row with the highest sequence. In memory: each
 * profile's live timer (due time and sequence) and the due order ({@code (due, profile)} sorted),
 * which answer every read, and the sequences of the rows that a later row of the same profile
 * superseded (the garbage). Superseded rows are deleted lazily, lowest sequence first, in the same
 * transaction as a later append, and only while there are more than {@link #slack()} of them: the
 * oldest pages then hold many dead rows each, so a page is rewritten once for many deletions
 * instead of once per moved timer. Deleting in sequence order keeps the table correct at every
 * commit: a row is deleted only after (or with) every older row of its profile, so "the highest
 * sequence per profile" never resurrects an old timer, and a cancel row is deleted only once
 * nothing older of its profile remains. At open the table is read in sequence order (last row per
 * profile wins).
 *
 * <p>Why: the keyed table this replaces ({@code segment_timer}, one row per profile) cost a random
 * B-tree update per moved timer, at 1M profiles the largest part of the segment writer's time per
 * event (SegmentBench, JFR; docs/BENCHMARKS.md "Segments: timers written behind"). A table left
 * by an older version is folded into the log at open.
 *
 * <p>Writes that change nothing are not written: a timer moved to the instant it already has, and
 * a cancel of a profile without a timer (a timer set and cleared within one group commit never
 * reaches SQLite: the writer keeps each profile's last value). Memory: ~60 bytes a timer. Assumes
 * one store object per database file (the composition root opens one). The embedded log has one
 * partition, so every timer is filed under partition 0 (partitions given to {@link #apply} are
 * ignored) and only partition 0 has due timers.
 *
 * <p><b>Memory layout.</b> The view is primitive: profiles are slots in parallel arrays (found
 * through an open-addressing map from profile id to slot), the due order is a binary heap of
 * slots that knows each slot's place (a moved timer is sifted in place), the superseded sequences a
 * heap of longs. A moved timer writes a few longs and creates no object:
 * the {@code TreeSet} entries, records and boxed sequences it used to create lived as long as the
 * timer, in the old generation, and every young collection copied and scanned them
 * (docs/BENCHMARKS.md "Segments, session 8").
 *
 * <p><b>Threading.</b> Writes are serialized on {@code writing} and run their SQLite transaction
 * without the store's monitor; the in-memory view is changed under the monitor after the commit,
 * and every read takes only the monitor. So the engine's reads (under its lock: the timer runner's
 * {@link #due}, a state load's {@link #scheduled}) never wait for a commit in progress on the
 * writer's thread (they did: SegmentBench, JFR).
 */
public final class SqliteWindowTimerStore implements WindowTimerStore {
    private final Connection db;
    /** The WAL is checkpointed off the writer's thread (this connection checkpoints never). */
    private final WalCheckpoints checkpoints;
    private final Map<Integer, PreparedStatement> appends = new HashMap<>();
    private final PreparedStatement deleteMany;
    /** Profiles with a timer row: slots of the arrays below. */
    private final ProfileSlots slots = new ProfileSlots();
    /** Each slot's timer row: due micros (or {@link #CANCELLED}) and its sequence. */
    private long[] slotMicros = new long[64];
    private long[] slotSeq = new long[64];
    /** Live timers in due order. */
    private final DueHeap order = new DueHeap();
    /** Sequences of superseded rows still in the table. */
    private final LongHeapPriorityQueue garbage = new LongHeapPriorityQueue();
    /** Cancel rows still in the table: sequence → profile. */
    private final Long2ObjectOpenHashMap<String> tombstones = new Long2ObjectOpenHashMap<>();
    private long live;
    private long maxSeq;
    /** Held by a write for its whole transaction; the monitor only while the in-memory view changes. */
    private final Object writing = new Object();
    private static final long CANCELLED = Long.MIN_VALUE;

    public SqliteWindowTimerStore(Path dbFile) {
        this(dbFile, SegmentSqlite.BUSY_TIMEOUT);
    }

    /** @param busyTimeout how long a write waits for another connection's lock before it fails (the segment writer retries it) */
    public SqliteWindowTimerStore(Path dbFile, java.time.Duration busyTimeout) {
        this.db = SegmentSqlite.open(dbFile, busyTimeout,
                "CREATE TABLE IF NOT EXISTS segment_timer_log (seq INTEGER PRIMARY KEY, profile_id TEXT NOT NULL, due_at INTEGER)");
        SegmentSqlite.withoutAutoCheckpoint(db);
        this.checkpoints = WalCheckpoints.acquire(dbFile, busyTimeout);
        try {
            deleteMany = db.prepareStatement("DELETE FROM segment_timer_log WHERE seq IN (SELECT value FROM json_each(?))");
        } catch (SQLException e) {
            throw SegmentSqlite.failure("prepare", e);
        }
        foldKeyedTable();
        try (Statement all = db.createStatement();
             ResultSet rs = all.executeQuery("SELECT seq, profile_id, due_at FROM segment_timer_log ORDER BY seq")) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                String profileId = rs.getString(2);
                long due = rs.getLong(3);
                remember(profileId, rs.wasNull() ? CANCELLED : due, seq);
                maxSeq = seq;
            }
        } catch (SQLException e) {
            throw SegmentSqlite.failure("load timers", e);
        }
    }

    /** A database from before the log: its keyed timers become the first rows of the log. */
    private void foldKeyedTable() {
        boolean keyed;
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'segment_timer'")) {
            keyed = rs.next();
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read schema", e);
        }
        if (keyed) {
            SegmentSqlite.inTransaction(db, "fold keyed timers", () -> {
                try (Statement s = db.createStatement()) {
                    s.executeUpdate("INSERT INTO segment_timer_log(profile_id, due_at) SELECT profile_id, due_at FROM segment_timer");
                    s.executeUpdate("DROP TABLE segment_timer");
                }
            });
        }
    }

    /** Records a durable row as the profile's timer; the row it supersedes becomes garbage. */
    private void remember(String profileId, long micros, long seq) {
        int slot = slots.find(profileId);
        if (slot >= 0) {
            if (slotMicros[slot] == CANCELLED) {
                tombstones.remove(slotSeq[slot]);
            } else {
                garbage.enqueue(slotSeq[slot]);
                live--;
            }
        } else {
            slot = slots.add(profileId, n -> {
                slotMicros = java.util.Arrays.copyOf(slotMicros, n);
                slotSeq = java.util.Arrays.copyOf(slotSeq, n);
                order.grow(n);
            });
        }
        slotMicros[slot] = micros;
        slotSeq[slot] = seq;
        if (micros != CANCELLED) {
            order.put(slot);
            live++;
        } else {
            order.remove(slot);
            // A cancel row is garbage at once: the sweep deletes in sequence order, so it goes
            // only with or after every older row of its profile (which all are garbage now).
            garbage.enqueue(seq);
            tombstones.put(seq, profileId);
        }
    }

    /** After the deletion of {@code seq} is durable. */
    private void swept(long seq) {
        String cancelled = tombstones.remove(seq);
        if (cancelled != null) {
            slots.remove(cancelled);
        }
    }

    /**
     * The live timers in due order: a binary min-heap of slots ordered by their due time (then
     * sequence), indexed (each slot knows its place), so a moved timer is sifted in place and a
     * cancelled one removed: no entry object, and nothing stale to walk past.
     */
    private final class DueHeap {
        private int[] heap = new int[64];
        /** Each slot's index in {@link #heap}, or -1. */
        private int[] pos = filled(64);
        private int size;

        private static int[] filled(int n) {
            int[] a = new int[n];
            java.util.Arrays.fill(a, -1);
            return a;
        }

        void grow(int slots) {
            int old = pos.length;
            pos = java.util.Arrays.copyOf(pos, slots);
            java.util.Arrays.fill(pos, old, slots, -1);
        }

        boolean isEmpty() {
            return size == 0;
        }

        long topDue() {
            return slotMicros[heap[0]];
        }

        /** Adds the slot, or moves it to its new due time. */
        void put(int slot) {
            int i = pos[slot];
            if (i < 0) {
                if (size == heap.length) {
                    heap = java.util.Arrays.copyOf(heap, size * 2);
                }
                i = size++;
                heap[i] = slot;
                pos[slot] = i;
            }
            down(up(i));
        }

        void remove(int slot) {
            int i = pos[slot];
            if (i < 0) {
                return;
            }
            pos[slot] = -1;
            size--;
            if (i < size) {
                heap[i] = heap[size];
                pos[heap[i]] = i;
                down(up(i));
            }
        }

        /**
         * Visits the timers due at or before {@code until} in due order, at most {@code limit},
         * without changing the heap: a walk down from the root in the order of a small heap of
         * candidate indexes (an entry's children come after it).
         */
        void visitDue(long until, int limit, java.util.function.IntConsumer visit) {
            it.unimi.dsi.fastutil.ints.IntHeapPriorityQueue candidates =
                    new it.unimi.dsi.fastutil.ints.IntHeapPriorityQueue((i, j) -> less(i, j) ? -1 : less(j, i) ? 1 : 0);
            if (size > 0) {
                candidates.enqueue(0);
            }
            for (int seen = 0; !candidates.isEmpty() && seen < limit; seen++) {
                int i = candidates.dequeueInt();
                if (slotMicros[heap[i]] > until) {
                    return;
                }
                visit.accept(heap[i]);
                for (int c = 2 * i + 1; c <= 2 * i + 2 && c < size; c++) {
                    candidates.enqueue(c);
                }
            }
        }

        private boolean less(int i, int j) {
            long a = slotMicros[heap[i]];
            long b = slotMicros[heap[j]];
            return a < b || a == b && slotSeq[heap[i]] < slotSeq[heap[j]];
        }

        private void swap(int i, int j) {
            int t = heap[i];
            heap[i] = heap[j];
            heap[j] = t;
            pos[heap[i]] = i;
            pos[heap[j]] = j;
        }

        private int up(int i) {
            while (i > 0 && less(i, (i - 1) / 2)) {
                swap(i, (i - 1) / 2);
                i = (i - 1) / 2;
            }
            return i;
        }

        private void down(int i) {
            while (true) {
                int l = 2 * i + 1;
                int m = i;
                if (l < size && less(l, m)) {
                    m = l;
                }
                if (l + 1 < size && less(l + 1, m)) {
                    m = l + 1;
                }
                if (m == i) {
                    return;
                }
                swap(i, m);
                i = m;
            }
        }
    }

    /** Superseded rows tolerated before deleting: about half the live timers, at least 50,000. */
    private long slack() {
        return Math.max(50_000, live / 2);
    }

    private static long micros(Instant t) {
        return Math.multiplyExact(t.getEpochSecond(), 1_000_000L) + t.getNano() / 1_000;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** Rounded up to the microsecond so a timer never fires before its exact instant. */
    private static long dueMicros(Instant dueAt) {
        return micros(dueAt) + (dueAt.getNano() % 1_000 == 0 ? 0 : 1);
    }

    @Override
    public void schedule(String profileId, Instant dueAt) {
        apply(Map.of(profileId, Optional.of(dueAt)), Map.of());
    }

    @Override
    public void cancel(String profileId) {
        apply(Map.of(profileId, Optional.empty()), Map.of());
    }

    @Override
    public void apply(Map<String, Optional<Instant>> updates, Map<String, Integer> partitions) {
        synchronized (writing) {
            write(updates);
        }
    }

    /** Under {@code writing}: only this thread changes the view, so it reads it without the monitor. */
    private void write(Map<String, Optional<Instant>> updates) {
        List<Object[]> rows = new ArrayList<>();
        long seq = maxSeq;
        for (var u : updates.entrySet()) {
            int slot = slots.find(u.getKey());
            long micros = u.getValue().map(SqliteWindowTimerStore::dueMicros).orElse(CANCELLED);
            if (slot < 0 ? micros == CANCELLED : slotMicros[slot] == micros) {
                continue;
            }
            rows.add(new Object[] {++seq, u.getKey(), micros == CANCELLED ? null : micros});
        }
        if (rows.isEmpty()) {
            return;
        }
        // Deleted from the lowest sequence up, never past a row the rows above supersede (see the class comment).
        long excess = garbage.size() + rows.size() - slack();
        long[] sweep;
        // taken out of the heap under the monitor (readers never look at it), put back if the write fails
        synchronized (this) {
            sweep = new long[excess > 0 ? (int) Math.min(garbage.size(), Math.max(excess, 2L * rows.size() + 1_000)) : 0];
            for (int i = 0; i < sweep.length; i++) {
                sweep[i] = garbage.dequeueLong();
            }
        }
        try {
            checkpoints.write(db, "apply timers", () -> {
                SegmentSqlite.insertRows(db, appends, "INSERT INTO segment_timer_log(seq, profile_id, due_at)", "", 3, rows);
                if (sweep.length > 0) {
                    deleteMany.setString(1, java.util.Arrays.toString(sweep));
                    deleteMany.executeUpdate();
                    SegmentSqlite.releaseParameters(deleteMany);
                }
            });
        } catch (RuntimeException e) {
            synchronized (this) {
                for (long g : sweep) {
                    garbage.enqueue(g);
                }
            }
            throw e;
        }
        // Durable: now the in-memory view.
        synchronized (this) {
            for (long g : sweep) {
                swept(g);
            }
            for (Object[] row : rows) {
                remember((String) row[1], row[2] == null ? CANCELLED : (Long) row[2], (Long) row[0]);
            }
        }
        maxSeq = seq;
    }

    @Override
    public synchronized Optional<Instant> scheduled(String profileId) {
        int slot = slots.find(profileId);
        return slot < 0 || slotMicros[slot] == CANCELLED ? Optional.empty() : Optional.of(instant(slotMicros[slot]));
    }

    @Override
    public synchronized Map<String, Instant> scheduled(java.util.Collection<String> profileIds) {
        Map<String, Instant> out = new HashMap<>();
        for (String id : profileIds) {
            int slot = slots.find(id);
            if (slot >= 0 && slotMicros[slot] != CANCELLED) {
                out.put(id, instant(slotMicros[slot]));
            }
        }
        return out;
    }

    @Override
    public synchronized List<WindowTimer> due(Instant now, int limit) {
        List<WindowTimer> out = new ArrayList<>();
        order.visitDue(micros(now), limit, slot -> out.add(new WindowTimer(slots.profile(slot), instant(slotMicros[slot]))));
        return out;
    }

    @Override
    public synchronized List<WindowTimer> due(Instant now, int limit, java.util.Set<Integer> partitions) {
        return partitions.contains(0) ? due(now, limit) : List.of();
    }

    @Override
    public synchronized Optional<Instant> next() {
        return order.isEmpty() ? Optional.empty() : Optional.of(instant(order.topDue()));
    }

    /** Rows in the table (live, cancelled and superseded): for tests of the sweep. */
    long rows() {
        synchronized (writing) {
            return count();
        }
    }

    private long count() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM segment_timer_log")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("count timer rows", e);
        }
    }

    @Override
    public void close() {
        synchronized (writing) {
            closeConnection();
        }
    }

    private void closeConnection() {
        checkpoints.close();
        try {
            db.close();
        } catch (SQLException e) {
            throw SegmentSqlite.failure("close", e);
        }
    }
}
