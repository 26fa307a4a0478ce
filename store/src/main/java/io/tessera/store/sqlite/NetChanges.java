package io.tessera.store.sqlite;

import io.tessera.segment.MembershipChange;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The membership changes {@link SqliteMembershipStore} has logged and not yet written to
 * {@code segment_member}: per profile, the net change per segment (since, in epoch millis, or
 * {@link #LEFT}), when the profile last changed, and the log sequence to replay from to rebuild it;
 * the profiles in id order (the sweep's order); and the multiset of those sequences (the replay
 * watermark).
 *
 * <p>Primitive where it counts: profiles are slots in parallel arrays (found through an
 * open-addressing map from profile id to slot), each profile's net changes a linked list of nodes
 * in three more arrays, segments numbered. Recording a change writes a few numbers and creates no
 * object, except a tree entry for a profile's first change (the id order). What it replaced (a map
 * entry, an immutable map with boxed times and a record a profile, new at every change) lived the
 * 30 s of the settle time in the old generation, where each young collection copied and scanned it
 * (docs/BENCHMARKS.md "Segments, session 8").
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
    private final TreeSet<String> order = new TreeSet<>();
    /** {@link #replay} values of the profiles held, as a multiset. */
    private final TreeMap<Long, Integer> firstSeqs = new TreeMap<>();

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
            });
            replay[s] = replayAfter;
            head[s] = NONE;
            firstSeqs.merge(replayAfter, 1, Integer::sum);
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

    /** The profiles held, in id order; iterated by the store's own thread only (nothing else changes it meanwhile). */
    NavigableSet<String> ids() {
        return java.util.Collections.unmodifiableNavigableSet(order);
    }

    /** When a held profile last changed (System.nanoTime). */
    synchronized long changedNanos(String profileId) {
        return changed[slots.find(profileId)];
    }

    /**
     * The replay watermark once {@code leaving} are written: the earliest first sequence of the
     * profiles that stay, at most {@code logged}.
     */
    synchronized long watermark(Collection<String> leaving, long logged) {
        Map<Long, Integer> gone = new HashMap<>();
        for (String id : leaving) {
            gone.merge(replay[slots.find(id)], 1, Integer::sum);
        }
        for (var e : firstSeqs.entrySet()) {
            if (e.getValue() > gone.getOrDefault(e.getKey(), 0)) {
                return Math.min(logged, e.getKey());
            }
        }
        return logged;
    }

    /** Forgets a profile's net changes (they are in {@code segment_member} now). */
    synchronized void remove(String profileId) {
        int s = slots.remove(profileId);
        if (s == NONE) {
            return;
        }
        for (int n = head[s]; n != NONE; ) {
            int after = next[n];
            next[n] = freeNode;
            freeNode = n;
            n = after;
        }
        if (firstSeqs.merge(replay[s], -1, Integer::sum) == 0) {
            firstSeqs.remove(replay[s]);
        }
        order.remove(profileId);
    }
}
