package io.tessera.segment;

/**
 * A small number for every segment key this process has seen, so a profile's memberships can be a
 * bit set ({@link ProfileWindows}) instead of a map from key to entry: a map entry per membership
 * was a young object referenced from the old generation at every enter (docs/BENCHMARKS.md
 * "Segments, session 8"). A key keeps its number after its segment is deleted. Thread-safe.
 */
final class SegmentBits {
    private static final Numbering<String> KEYS = new Numbering<>();

    private SegmentBits() {}

    /** The key's number, given on first use. */
    static int of(String key) {
        return KEYS.of(key);
    }

    /** The key's number, or -1 when no segment with this key was ever seen (nothing is given). */
    static int find(String key) {
        return KEYS.find(key);
    }

    /** Words of a bit set with room for every key numbered so far. */
    static int words() {
        return (KEYS.size() + 63) >>> 6;
    }

    /** The key numbered {@code n}. */
    static String key(int n) {
        return KEYS.get(n);
    }

    /** Whether bit {@code n} is set in {@code bits}. */
    static boolean get(long[] bits, int n) {
        int word = n >>> 6;
        return n >= 0 && word < bits.length && (bits[word] & (1L << n)) != 0;
    }
}
