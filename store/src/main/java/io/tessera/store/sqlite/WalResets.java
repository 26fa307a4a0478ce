package io.tessera.store.sqlite;

/**
 * The WAL resets of a segment store's database file so far (see {@link WalCheckpoints}): how many,
 * and how long they held the stores' writes back, in all and at most, in nanoseconds.
 */
public record WalResets(long count, long heldNanos, long longestNanos) {}
