package io.tessera.bench.segment;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.List;

/**
 * What the garbage collector did during a phase: collections, time in them, and how much the old
 * generation grew a unit of work (what survived young collections: the cost every young pause
 * pays in copying and in scanning old-to-young references). The old-generation growth is a floor
 * when a mixed or full collection ran in the phase (it shows as a lower figure, not a higher one).
 */
record GcWatch(List<GarbageCollectorMXBean> collectors, long[] counts, long[] millis, long oldUsed) {
    static GcWatch start() {
        List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        long[] counts = new long[gcs.size()];
        long[] millis = new long[gcs.size()];
        for (int i = 0; i < gcs.size(); i++) {
            counts[i] = gcs.get(i).getCollectionCount();
            millis[i] = gcs.get(i).getCollectionTime();
        }
        return new GcWatch(gcs, counts, millis, oldInUse());
    }

    /** Old-generation pools in use (G1 Old Gen, Tenured Gen, ZGC Old Generation, ...), in bytes. */
    private static long oldInUse() {
        long used = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().contains("Old") || p.getName().contains("Tenured")) {
                used += p.getUsage().getUsed();
            }
        }
        return used;
    }

    /** One line: per collector the collections and their time since {@link #start}, and old-generation growth per unit. */
    String report(long units) {
        StringBuilder sb = new StringBuilder("garbage collection during the live phase:");
        for (int i = 0; i < collectors.size(); i++) {
            GarbageCollectorMXBean g = collectors.get(i);
            long n = g.getCollectionCount() - counts[i];
            long ms = g.getCollectionTime() - millis[i];
            sb.append(String.format(" %s %d (%d ms, %.1f ms mean);", g.getName(), n, ms, n == 0 ? 0.0 : ms / (double) n));
        }
        sb.append(String.format(" old generation grew %.0f bytes an event", (oldInUse() - oldUsed) / (double) Math.max(1, units)));
        return sb.toString();
    }
}
