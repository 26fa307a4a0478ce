package io.tessera.segment;

import java.util.Arrays;

/**
 * Blocks of {@code long}s for the aggregate states of the cached profiles ({@link AggregateStates}),
 * carved out of large pages and recycled through free lists, so a state that grows at an event
 * takes a recycled block instead of a new array.
 *
 * <p><b>Why.</b> With a million profiles cached, nearly every live event is the first in a while
 * for its profile and grows its state by a few slots and events. As arrays, every such growth was
 * a new array referenced from an old state: each young collection copied it (~1 KB an event) and
 * that copy was most of a 100-180 ms pause every few seconds, the tail of the event-to-membership
 * latency (SegmentBench with a GC log, docs/BENCHMARKS.md "Segments, session 9"). Pages are
 * allocated once, hold no references, and are never copied nor scanned by a young collection.
 *
 * <p><b>Layout.</b> A block is {@code 2^c} longs ({@code c} its size class, at least
 * {@link #MIN_CLASS}), within one page of {@link #PAGE_LONGS} longs; its handle is the page number
 * times {@link #PAGE} plus its offset. A released block goes on its class's free list (the list's
 * next handle in its first long) and is handed out again before the page is bumped. A block of
 * {@link #PAGE} longs or more is not made here: the state keeps a plain array ({@link #allocate}
 * answers -1).
 *
 * <p>Not thread-safe: used under the {@link SegmentEngine}'s lock, like the cache of states.
 */
final class StateArena {
    static final int PAGE_BITS = 20;
    /** The span of a page in a handle. */
    static final int PAGE = 1 << PAGE_BITS;
    /**
     * Longs a page holds: 8 MB with the array's 16-byte header, so a page fills whole G1 regions.
     * Pages of 2^20 longs were 16 bytes over 8 MB and each took two 8 MB regions, the second nearly
     * empty: 169 humongous regions (1.35 GB) for the ~85 pages of 1M profiles (SegmentBench's GC log,
     * docs/BENCHMARKS.md "Segments, session 10").
     */
    static final int PAGE_LONGS = PAGE - 2;
    static final int MIN_CLASS = 3;
    /** Pages at most: handles are ints (16 GB of states). */
    private static final int MAX_PAGES = 1 << (31 - PAGE_BITS);

    private long[][] pages = new long[0][];
    /** The first free long of the last page ({@link #PAGE_LONGS}: no room). */
    private int top = PAGE_LONGS;
    /** The first free block of each size class, or -1. */
    private final int[] free = new int[PAGE_BITS + 1];
    private long blocksInUse;

    StateArena() {
        Arrays.fill(free, -1);
    }

    /** The size class of a block holding at least {@code longs}. */
    static int sizeClass(int longs) {
        return Math.max(MIN_CLASS, 32 - Integer.numberOfLeadingZeros(Math.max(1, longs) - 1));
    }

    /** A block of {@code 2^sizeClass} longs (contents undefined), or -1 when it would not fit in a page. */
    int allocate(int sizeClass) {
        if (sizeClass >= PAGE_BITS) {
            return -1;
        }
        int h = free[sizeClass];
        if (h >= 0) {
            free[sizeClass] = (int) page(h)[offset(h)];
        } else {
            int size = 1 << sizeClass;
            if (top + size > PAGE_LONGS) {
                if (pages.length == MAX_PAGES) {
                    return -1;
                }
                // the rest of the full page is not lost: it goes to the free lists, largest blocks first
                int last = pages.length - 1;
                while (last >= 0 && PAGE_LONGS - top >= 1 << MIN_CLASS) {
                    int c = 31 - Integer.numberOfLeadingZeros(PAGE_LONGS - top);
                    push((last << PAGE_BITS) | top, c);
                    top += 1 << c;
                }
                pages = Arrays.copyOf(pages, pages.length + 1);
                pages[pages.length - 1] = new long[PAGE_LONGS];
                top = 0;
            }
            h = ((pages.length - 1) << PAGE_BITS) | top;
            top += size;
        }
        blocksInUse++;
        return h;
    }

    /** Gives a block back; the caller no longer reads or writes it. */
    void release(int handle, int sizeClass) {
        push(handle, sizeClass);
        blocksInUse--;
    }

    private void push(int handle, int sizeClass) {
        page(handle)[offset(handle)] = free[sizeClass];
        free[sizeClass] = handle;
    }

    /** The page holding a block. */
    long[] page(int handle) {
        return pages[handle >>> PAGE_BITS];
    }

    /** Where a block starts in its page. */
    static int offset(int handle) {
        return handle & (PAGE - 1);
    }

    /** Blocks handed out and not released (a state released twice or never shows here: for tests). */
    long blocksInUse() {
        return blocksInUse;
    }
}
