package io.tessera.store.sqlite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A set of profile ids kept in id order, walked round-robin from where the last walk stopped: the
 * order of {@link NetChanges}' sweep. Sorted chunks of at most {@link #CHUNK} ids (a chunk splits
 * in two when full, and goes when empty), found by binary search on their first ids.
 *
 * <p>Why not a {@code TreeSet}: each id was a tree entry linked from old entries, copied by the
 * young collections of the 30 s it stayed and scanned through the cards of the old entries it was
 * linked from. Why not one sorted array merged with the ids added since: at a million ids the
 * merge held the segment writer for 30-60 ms (SegmentBench, docs/BENCHMARKS.md "Segments, session
 * 9"). An insertion here moves at most a chunk's ids, and writes no new object.
 *
 * <p>Not thread-safe: the owner guards it.
 */
final class SortedIds {
    static final int CHUNK = 2048;

    private String[][] chunks = new String[0][];
    private int[] sizes = new int[0];
    private int count;
    private int total;
    /** The last id a walk visited (null: start from the first). */
    private String cursor;

    int size() {
        return total;
    }

    /** The chunk that holds {@code id} or would: the last one whose first id is not after it (0 if none). */
    private int chunkOf(String id) {
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (chunks[mid][0].compareTo(id) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Adds an id (nothing if it is there). */
    void add(String id) {
        if (count == 0) {
            insertChunk(0, new String[16], 0);
        }
        int c = chunkOf(id);
        int i = Arrays.binarySearch(chunks[c], 0, sizes[c], id);
        if (i >= 0) {
            return;
        }
        i = -i - 1;
        if (sizes[c] == chunks[c].length) {
            if (chunks[c].length < CHUNK) {
                chunks[c] = Arrays.copyOf(chunks[c], chunks[c].length * 2);
            } else {
                // split: the upper half goes to a new chunk after this one
                String[] upper = new String[CHUNK];
                int half = CHUNK / 2;
                System.arraycopy(chunks[c], half, upper, 0, CHUNK - half);
                Arrays.fill(chunks[c], half, CHUNK, null);
                sizes[c] = half;
                insertChunk(c + 1, upper, CHUNK - half);
                if (i > half) {
                    c++;
                    i -= half;
                }
            }
        }
        String[] a = chunks[c];
        System.arraycopy(a, i, a, i + 1, sizes[c] - i);
        a[i] = id;
        sizes[c]++;
        total++;
    }

    private void insertChunk(int at, String[] ids, int size) {
        if (count == chunks.length) {
            int n = Math.max(4, count * 2);
            chunks = Arrays.copyOf(chunks, n);
            sizes = Arrays.copyOf(sizes, n);
        }
        System.arraycopy(chunks, at, chunks, at + 1, count - at);
        System.arraycopy(sizes, at, sizes, at + 1, count - at);
        chunks[at] = ids;
        sizes[at] = size;
        count++;
    }

    /** Removes an id (nothing if it is not there). */
    void remove(String id) {
        if (count == 0) {
            return;
        }
        int c = chunkOf(id);
        String[] a = chunks[c];
        int i = Arrays.binarySearch(a, 0, sizes[c], id);
        if (i < 0) {
            return;
        }
        System.arraycopy(a, i + 1, a, i, sizes[c] - i - 1);
        a[--sizes[c]] = null;
        total--;
        if (sizes[c] == 0) {
            System.arraycopy(chunks, c + 1, chunks, c, count - c - 1);
            System.arraycopy(sizes, c + 1, sizes, c, count - c - 1);
            chunks[--count] = null;
        }
    }

    /** Every id, in order. */
    List<String> all() {
        List<String> out = new ArrayList<>(total);
        for (int c = 0; c < count; c++) {
            out.addAll(Arrays.asList(chunks[c]).subList(0, sizes[c]));
        }
        return out;
    }

    /**
     * Visits the next {@code visits} ids (each at most once) in order after the last id the previous
     * walk visited, wrapping around from the last id to the first.
     */
    void walk(long visits, Consumer<String> visit) {
        long n = Math.min(visits, total);
        if (n == 0) {
            return;
        }
        int c = 0;
        int i = 0;
        if (cursor != null) {
            c = chunkOf(cursor);
            i = Arrays.binarySearch(chunks[c], 0, sizes[c], cursor);
            // the first id after the cursor
            i = i >= 0 ? i + 1 : -i - 1;
        }
        for (long v = 0; v < n; v++) {
            while (c < count && i >= sizes[c]) {
                c++;
                i = 0;
            }
            if (c == count) {
                c = 0;
                i = 0;
            }
            cursor = chunks[c][i++];
            visit.accept(cursor);
        }
    }
}
