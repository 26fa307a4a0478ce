package io.tessera.segment;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A small number for every distinct value seen, given on first use and kept for the life of the
 * process, so per-profile state can name values in primitive memory: segment keys in a profile's
 * membership bits ({@link SegmentBits}), aggregates in its aggregate states
 * ({@link AggregateStates}). Append-only: as many numbers as distinct values ever numbered (a few
 * thousand at most). Thread-safe.
 */
final class Numbering<T> {
    private final ConcurrentHashMap<T, Integer> numbers = new ConcurrentHashMap<>();
    /** Value by number; replaced (copy on write) when one is numbered. */
    private volatile Object[] values = new Object[0];

    /** The value's number, given on first use. */
    int of(T value) {
        Integer n = numbers.get(value);
        return n != null ? n : assign(value);
    }

    private synchronized int assign(T value) {
        Integer n = numbers.get(value);
        if (n != null) {
            return n;
        }
        int number = values.length;
        Object[] next = java.util.Arrays.copyOf(values, number + 1);
        next[number] = value;
        values = next;
        numbers.put(value, number);
        return number;
    }

    /** The value's number, or -1 when it was never numbered (nothing is given). */
    int find(T value) {
        Integer n = numbers.get(value);
        return n == null ? -1 : n;
    }

    /** The value numbered {@code n}. */
    @SuppressWarnings("unchecked")
    T get(int n) {
        return (T) values[n];
    }

    /** How many values are numbered. */
    int size() {
        return values.length;
    }
}
