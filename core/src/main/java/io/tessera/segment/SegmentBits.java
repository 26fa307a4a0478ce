package io.tessera.segment;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A small number for every segment key this process has seen, so a profile's memberships can be a
 * bit set ({@link ProfileWindows}) instead of a map from key to entry: a map entry per membership
 * was a young object referenced from the old generation at every enter (docs/BENCHMARKS.md
 * "Segments, session 8"). Append-only: a key keeps its number after its segment is deleted
 * (there are as many numbers as keys ever saved, a few thousand at most). Thread-safe.
 */
final class SegmentBits {
    private static final ConcurrentHashMap<String, Integer> NUMBERS = new ConcurrentHashMap<>();
    /** Key by number; replaced (copy on write) when a key is numbered. */
    private static volatile String[] keys = new String[0];

    private SegmentBits() {}

    /** The key's number, given on first use. */
    static int of(String key) {
        Integer n = NUMBERS.get(key);
        return n != null ? n : assign(key);
    }

    private static synchronized int assign(String key) {
        Integer n = NUMBERS.get(key);
        if (n != null) {
            return n;
        }
        int number = keys.length;
        String[] next = java.util.Arrays.copyOf(keys, number + 1);
        next[number] = key;
        keys = next;
        NUMBERS.put(key, number);
        return number;
    }

    /** The key's number, or -1 when no segment with this key was ever seen (nothing is given). */
    static int find(String key) {
        Integer n = NUMBERS.get(key);
        return n == null ? -1 : n;
    }

    /** The key numbered {@code n}. */
    static String key(int n) {
        return keys[n];
    }

    /** Whether bit {@code n} is set in {@code bits}. */
    static boolean get(long[] bits, int n) {
        int word = n >>> 6;
        return n >= 0 && word < bits.length && (bits[word] & (1L << n)) != 0;
    }
}
