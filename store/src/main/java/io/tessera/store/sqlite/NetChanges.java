package io.tessera.store.sqlite;

import io.tessera.segment.MembershipChange;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The membership changes {@link SqliteMembershipStore} has logged and not yet written to
 * {@code segment_member}: per profile, the net change per segment (since, in epoch millis, or
 * {@link #LEFT}), when the profile last changed, and the log sequence to replay from to rebuild it;
 * the profiles in id order (the sweep's order); and the multiset of those sequences (the replay
 * watermark).
 *
 * <p>Primitive where it counts: profiles are slots in parallel arrays (found through an
 * open-addressing map from profile id to slot), each profile's net changes a linked list of nodes
 * in three more arrays, segments numbered; the id order is {@link SortedIds}, the replay watermark a
 * queue in the order profiles arrived. Recording a
 * change writes a few numbers and creates no object. What it replaced (a map entry, an immutable
 * map with boxed times and a record a profile, new at every change; then a tree entry in the id
 * order and a boxed sequence in a tree multiset) lived the 30 s of the settle time, where each young
 * collection copied it and scanned the old tree nodes it was linked from (docs/BENCHMARKS.md
 * "Segments, session 8" and "session 9").
 *
 * <p>Thread-safe: every method synchronizes on this object, briefly (never during SQL). The store
 * changes it from one thread at a time; readers take copies.
 */
final class NetChanges {
    /** The net change "left the segment". */
    static final long LEFT = Long.MIN_VALUE;
    private static final int NONE = ProfileSlots.NONE;

    private final ProfileSlots slots = new ProfileSlots();
    /** When the profile last changed (System.nanoTime). */
    private long[] changed = new long[64];
    /** The log sequence before the batch that first changed the profile. */
    private long[] replay = new long[64];
    /** The first node of the profile's net changes, or {@link #NONE}. */
    private int[] head = new int[64];

    // Nodes: one net change (segment number, since or LEFT) and the next node of the profile.
    private int[] segment = new int[256];
    private long[] since = new long[256];
    private int[] next = new int[256];
    private int nodesUsed;
    private int freeNode = NONE;

    private final Object2IntOpenHashMap<String> segmentNumbers = new Object2IntOpenHashMap<>();
    private final List<String> segmentNames = new ArrayList<>();

    /** The held profiles in id order: the sweep's. */
    private final SortedIds order = new SortedIds();

    // The replay watermark: slots in the order they were added, with their replay sequence and the
    // add number that tells a slot reused since (stale entries are skipped); see #watermark.
    private int[] arrivalSlot = new int[64];
    private long[] arrivalReplay = new long[64];
    private long[] arrivalNumber = new long[64];
    private int arrivalHead;
    private int arrivalTail;
    /** Per slot: the number of the add that gave it (see {@link #arrivalNumber}). */
    private long[] addedAs = new long[64];
    private long adds;
    /** Per slot: the stamp of the watermark call that found it leaving. */
    private long[] leavingMark = new long[64];
    private long marks;

    NetChanges() {
        segmentNumbers.defaultReturnValue(NONE);
    }

    /** Records logged changes as their profiles' net changes; {@code replayAfter} is the log sequence before them. */
    synchronized void record(List<MembershipChange> changes, long replayAfter) {
        long now = System.nanoTime();
        for (MembershipChange c : changes) {
            record(c.profileId(), c.segment(), c.entered() ? c.at().toEpochMilli() : LEFT, replayAfter, now);
        }
    }

    /** Records one logged change (the log read back at open). */
    synchronized void record(String profileId, String segmentKey, long sinceOrLeft, long replayAfter) {
        record(profileId, segmentKey, sinceOrLeft, replayAfter, System.nanoTime());
    }

    private void record(String profileId, String segmentKey, long sinceOrLeft, long replayAfter, long now) {
        int s = slots.find(profileId);
        if (s == NONE) {
            s = slots.add(profileId, n -> {
                changed = java.util.Arrays.copyOf(changed, n);
                replay = java.util.Arrays.copyOf(replay, n);
                head = java.util.Arrays.copyOf(head, n);
                addedAs = java.util.Arrays.copyOf(addedAs, n);
                leavingMark = java.util.Arrays.copyOf(leavingMark, n);
            });
            replay[s] = replayAfter;
            head[s] = NONE;
            arrived(s, replayAfter);
            order.add(profileId);
        }
        changed[s] = now;
        int g = segmentNumber(segmentKey);
        for (int n = head[s]; n != NONE; n = next[n]) {
            if (segment[n] == g) {
                since[n] = sinceOrLeft;
                return;
            }
        }
        int n = newNode();
        segment[n] = g;
        since[n] = sinceOrLeft;
        next[n] = head[s];
        head[s] = n;
    }

    private int segmentNumber(String key) {
        int g = segmentNumbers.getInt(key);
        if (g == NONE) {
            g = segmentNames.size();
            segmentNames.add(key);
            segmentNumbers.put(key, g);
        }
        return g;
    }

    private int newNode() {
        if (freeNode != NONE) {
            int n = freeNode;
            freeNode = next[n];
            return n;
        }
        if (nodesUsed == segment.length) {
            int n = nodesUsed * 2;
            segment = java.util.Arrays.copyOf(segment, n);
            since = java.util.Arrays.copyOf(since, n);
            next = java.util.Arrays.copyOf(next, n);
        }
        return nodesUsed++;
    }

    /** The profile's net changes (segment → since, or {@link #LEFT}), or null when it has none. */
    synchronized Map<String, Long> of(String profileId) {
        int s = slots.find(profileId);
        if (s == NONE) {
            return null;
        }
        Map<String, Long> out = new HashMap<>();
        for (int n = head[s]; n != NONE; n = next[n]) {
            out.put(segmentNames.get(segment[n]), since[n]);
        }
        return out;
    }

    /** {@link #of} for several profiles: only those with net changes. */
    synchronized Map<String, Map<String, Long>> of(Collection<String> profileIds) {
        Map<String, Map<String, Long>> out = new HashMap<>();
        for (String id : profileIds) {
            Map<String, Long> n = of(id);
            if (n != null) {
                out.put(id, n);
            }
        }
        return out;
    }

    synchronized boolean isEmpty() {
        return slots.isEmpty();
    }

    synchronized int size() {
        return slots.size();
    }

    /** Entries in the arrival queue (stale ones included): for tests. */
    synchronized int arrivals() {
        return arrivalTail - arrivalHead;
    }

    /** Every profile held, in id order. */
    synchronized List<String> ids() {
        return order.all();
    }

    /**
     * The next slice of the sweep: visits up to {@code visits} held profiles in profile-id order
     * from where the last slice stopped (wrapping around) and returns those unchanged since
     * {@code changedBefore} (System.nanoTime), in the order visited.
     */
    synchronized List<String> sweep(long visits, long changedBefore) {
        List<String> out = new ArrayList<>();
        order.walk(visits, id -> {
            if (changed[slots.find(id)] - changedBefore <= 0) {
                out.add(id);
            }
        });
        return out;
    }

    /** Queues a slot just given to a profile, with its replay sequence, for {@link #watermark}. */
    private void arrived(int slot, long replayAfter) {
        if (arrivalTail == arrivalSlot.length) {
            // Full: keep only the entries of profiles still held (in order), then grow if that is
            // more than half. Every stale entry goes, not only those before the head: a profile
            // that keeps changing stays held, and the queue behind it must not grow without end.
            int kept = 0;
            for (int i = arrivalHead; i < arrivalTail; i++) {
                if (current(i)) {
                    arrivalSlot[kept] = arrivalSlot[i];
                    arrivalReplay[kept] = arrivalReplay[i];
                    arrivalNumber[kept++] = arrivalNumber[i];
                }
            }
            arrivalHead = 0;
            arrivalTail = kept;
            if (kept * 2 > arrivalSlot.length) {
                arrivalSlot = java.util.Arrays.copyOf(arrivalSlot, arrivalSlot.length * 2);
                arrivalReplay = java.util.Arrays.copyOf(arrivalReplay, arrivalReplay.length * 2);
                arrivalNumber = java.util.Arrays.copyOf(arrivalNumber, arrivalNumber.length * 2);
            }
        }
        addedAs[slot] = ++adds;
        arrivalSlot[arrivalTail] = slot;
        arrivalReplay[arrivalTail] = replayAfter;
        arrivalNumber[arrivalTail++] = adds;
    }

    /** Whether the arrival queue's entry {@code i} is the slot's current profile. */
    private boolean current(int i) {
        int s = arrivalSlot[i];
        return slots.profile(s) != null && addedAs[s] == arrivalNumber[i];
    }

    /**
     * The replay watermark once {@code leaving} are written: the earliest first sequence of the
     * profiles that stay, at most {@code logged}. Replay sequences only grow from one record to the
     * next (the log's), so the earliest is that of the earliest arrival still held and staying.
     */
    synchronized long watermark(Collection<String> leaving, long logged) {
        while (arrivalHead < arrivalTail && !current(arrivalHead)) {
            arrivalHead++;
        }
        long stamp = ++marks;
        for (String id : leaving) {
            int s = slots.find(id);
            if (s != NONE) {
                leavingMark[s] = stamp;
            }
        }
        long min = logged;
        for (int i = arrivalHead; i < arrivalTail; i++) {
            if (current(i) && leavingMark[arrivalSlot[i]] != stamp) {
                min = Math.min(min, arrivalReplay[i]);
                break;
            }
        }
        return min;
    }

    /** Forgets a profile's net changes (they are in {@code segment_member} now). */
    synchronized void remove(String profileId) {
        int s = slots.find(profileId);
        if (s == NONE) {
            return;
        }
        order.remove(profileId);
        slots.remove(profileId);
        for (int n = head[s]; n != NONE; ) {
            int after = next[n];
            next[n] = freeNode;
            freeNode = n;
            n = after;
        }
    }
}
