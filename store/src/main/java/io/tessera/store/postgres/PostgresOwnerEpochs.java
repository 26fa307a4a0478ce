package io.tessera.store.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The owner epochs of one node's log partitions (table {@code partition_owner}, migration
 * {@code V48__partition_owner.sql}): the fence for the writes that are not the profile commit —
 * segment memberships, window timers and membership positions, which are written behind the
 * profile commits and so cannot compare-and-set the partition offset.
 *
 * <p><b>Implementation notes.</b> When the log assigns a partition, {@link #claim} increments its
 * stored epoch in one transaction and holds the new value. Every write of
 * {@link PostgresMembershipStore} and {@link PostgresWindowTimerStore} built on this object first
 * {@link #check checks}, inside its own transaction, that the stored epoch of every partition held
 * is still the one held, taking a share lock on those rows ({@code FOR SHARE}). A claim's
 * {@code UPDATE} conflicts with that lock, so the two are serialized: a write either commits before
 * the successor's claim (and so before anything the successor writes), or it sees the moved epoch
 * and is rolled back whole with {@link StaleEpochException}. A node fenced out of the group without
 * knowing it (stalled past the session timeout) therefore cannot land a late segment write over
 * its successor's. A failed claim (the database down) is held as unclaimed, so writes fail until a
 * retry ({@link #claimPending}) succeeds.
 *
 * <p>The check covers every partition held, not only those a write touches: writes carry no
 * partition per membership change, and a node fenced out of one partition has been fenced out of
 * all it holds (its session expired). {@link #release} must therefore run after the node's queued
 * segment writes are flushed (the segment engine waits for them on revocation), and partitions the
 * node does not hold are not checked — a backfill writes every partition's memberships.
 *
 * <p>"Written under the epoch it was computed under": the held epochs change only on assignment
 * and (after the flush) on revocation, so a write flushed in between was computed under the epochs
 * it is checked against. An instance that never claims holds nothing and checks nothing (one node, tests).
 *
 * <p>Threading: {@link #claim} and {@link #release} on the log's polling thread; {@link #check} on
 * any writer thread. Thread-safe.
 */
public final class PostgresOwnerEpochs {
    /** Held while a claim has not succeeded: matches no stored epoch, so every checked write fails. */
    private static final long UNCLAIMED = -1;

    private final PostgresDatabase db;
    private final Map<Integer, Long> held = new ConcurrentHashMap<>();

    public PostgresOwnerEpochs(PostgresDatabase db) {
        this.db = db;
    }

    /**
     * Takes the partitions over: increments each one's epoch and holds the new value. When the
     * database cannot be reached the partitions are held unclaimed (their writes fail) and the
     * failure is thrown; {@link #claimPending} retries.
     */
    public void claim(Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        partitions.forEach(p -> held.put(p, UNCLAIMED));
        Map<Integer, Long> claimed = db.write(c -> {
            Map<Integer, Long> out = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO partition_owner(log_partition, epoch) VALUES (?, 1) "
                    + "ON CONFLICT (log_partition) DO UPDATE SET epoch = partition_owner.epoch + 1 RETURNING epoch")) {
                for (int p : new TreeSet<>(partitions)) {
                    s.setInt(1, p);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        out.put(p, rs.getLong(1));
                    }
                }
            }
            return out;
        });
        held.putAll(claimed);
    }

    /** Retries the claims that failed; throws while the database is still unavailable. */
    public void claimPending() {
        List<Integer> pending = held.entrySet().stream().filter(e -> e.getValue() == UNCLAIMED).map(Map.Entry::getKey).toList();
        claim(pending);
    }

    /** Gives the partitions up; call only after this node's writes for them are flushed. */
    public void release(Collection<Integer> partitions) {
        partitions.forEach(held::remove);
    }

    /** The epochs held now: partition → epoch (-1 while its claim has not succeeded). */
    public Map<Integer, Long> held() {
        return Map.copyOf(held);
    }

    /**
     * Inside a write's transaction: share-locks the held partitions' epoch rows and throws
     * {@link StaleEpochException} (rolling the write back) when any moved since it was claimed.
     */
    void check(Connection c) throws SQLException {
        if (held.isEmpty()) {
            return;
        }
        Map<Integer, Long> expected = Map.copyOf(held);
        Map<Integer, Long> stored = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT log_partition, epoch FROM partition_owner "
                + "WHERE log_partition = ANY (?) ORDER BY log_partition FOR SHARE")) {
            Array partitions = c.createArrayOf("integer", expected.keySet().toArray());
            s.setArray(1, partitions);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        for (Map.Entry<Integer, Long> e : new java.util.TreeMap<>(expected).entrySet()) {
            long now = stored.getOrDefault(e.getKey(), 0L);
            if (now != e.getValue()) {
                throw new StaleEpochException(e.getKey(), e.getValue(), now);
            }
        }
    }
}
