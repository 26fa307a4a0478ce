package io.tessera.log.sqlite;

import java.util.Arrays;

/**
 * The log's dedupe index, in memory: the 64-bit hash of every stored messageId with the offset
 * that holds it, in an open-addressing table (linear probing, two parallel arrays, ≤ 75% full).
 *
 * <p>Why not a UNIQUE index in SQLite: random messageIds land on random B-tree pages, so each
 * group commit rewrites about one index page per event into the WAL; measured, that made appends
 * 3-4x slower at 200k events and gets worse as the log grows (log/RATIONALE.md). A hash match
 * here is only a candidate: the caller confirms it by reading the row at that offset, so the
 * dedupe is exact. Cost: 12 bytes per slot, about 16-21 bytes per stored event (~200 MB per 10
 * million events); rebuilt by one scan at start-up.
 *
 * <p>Not thread-safe: owned by the log's writer thread.
 */
final class MessageIdIndex {
    /** Says whether the row at {@code offset} holds {@code messageId}. */
    @FunctionalInterface
    interface RowCheck {
        boolean holds(long offset, String messageId);
    }

    private long[] hashes;
    private int[] offsetsPlusOne;
    private int size;

    MessageIdIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(1024, expected * 2 - 1)) << 1;
        hashes = new long[capacity];
        offsetsPlusOne = new int[capacity];
    }

    static long hash(String messageId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < messageId.length(); i++) {
            h = (h ^ messageId.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    /** Whether a row already stores this messageId. */
    boolean contains(String messageId, long hash, RowCheck rows) {
        int mask = hashes.length - 1;
        for (int i = (int) hash & mask; offsetsPlusOne[i] != 0; i = (i + 1) & mask) {
            if (hashes[i] == hash && rows.holds(offsetsPlusOne[i] - 1L, messageId)) {
                return true;
            }
        }
        return false;
    }

    void add(long hash, long offset) {
        if (offset >= Integer.MAX_VALUE - 1) {
            throw new IllegalStateException("the embedded log holds at most 2^31 - 2 events; use the Kafka log beyond that");
        }
        if ((size + 1) * 4L > hashes.length * 3L) {
            grow();
        }
        put(hash, (int) offset + 1);
        size++;
    }

    void clear() {
        Arrays.fill(hashes, 0);
        Arrays.fill(offsetsPlusOne, 0);
        size = 0;
    }

    int size() {
        return size;
    }

    private void put(long hash, int offsetPlusOne) {
        int mask = hashes.length - 1;
        int i = (int) hash & mask;
        while (offsetsPlusOne[i] != 0) {
            i = (i + 1) & mask;
        }
        hashes[i] = hash;
        offsetsPlusOne[i] = offsetPlusOne;
    }

    private void grow() {
        long[] oldHashes = hashes;
        int[] oldOffsets = offsetsPlusOne;
        hashes = new long[oldHashes.length * 2];
        offsetsPlusOne = new int[oldOffsets.length * 2];
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldOffsets[i] != 0) {
                put(oldHashes[i], oldOffsets[i]);
            }
        }
    }
}
