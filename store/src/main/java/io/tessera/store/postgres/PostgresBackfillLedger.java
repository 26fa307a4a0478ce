package io.tessera.store.postgres;

import io.tessera.segment.BackfillLedger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@link BackfillLedger} on table {@code segment_backfill} (migration {@code V51__segment_backfill.sql}):
 * one row per segment version and log partition. Rows are written by the partition's owner only,
 * so they need no fence of their own: a stale "done" can only follow writes that were themselves
 * checked against the owner epochs. Thread-safe.
 */
public final class PostgresBackfillLedger implements BackfillLedger {
    private final PostgresDatabase db;

    public PostgresBackfillLedger(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void open(String segment, int version, int partitions) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO segment_backfill(segment, version, log_partition) "
                    + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (int p = 0; p < partitions; p++) {
                    s.setString(1, segment);
                    s.setInt(2, version);
                    s.setInt(3, p);
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void progress(String segment, int version, int partition, long profiles, String node) {
        mark(segment, version, partition, profiles, node, false);
    }

    @Override
    public void done(String segment, int version, int partition, long profiles, String node) {
        mark(segment, version, partition, profiles, node, true);
    }

    private void mark(String segment, int version, int partition, long profiles, String node, boolean done) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE segment_backfill SET profiles = ?, node = ?, done = ? "
                    + "WHERE segment = ? AND version = ? AND log_partition = ? AND NOT done")) {
                s.setLong(1, profiles);
                s.setString(2, node);
                s.setBoolean(3, done);
                s.setString(4, segment);
                s.setInt(5, version);
                s.setInt(6, partition);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Open> open(Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return List.of();
        }
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT segment, version, log_partition FROM segment_backfill "
                    + "WHERE NOT done AND log_partition = ANY (?) ORDER BY segment, version, log_partition")) {
                s.setArray(1, c.createArrayOf("integer", partitions.toArray()));
                List<Open> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Open(rs.getString(1), rs.getInt(2), rs.getInt(3)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Summary summary(String segment, int version) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FILTER (WHERE done), count(*), coalesce(sum(profiles), 0) "
                    + "FROM segment_backfill WHERE segment = ? AND version = ?")) {
                s.setString(1, segment);
                s.setInt(2, version);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return new Summary(rs.getInt(1), rs.getInt(2), rs.getLong(3));
                }
            }
        });
    }

    /** Which node did each partition's part of a version (the audit the cluster tests read): partition → node. */
    public java.util.Map<Integer, String> doneBy(String segment, int version) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT log_partition, node FROM segment_backfill "
                    + "WHERE segment = ? AND version = ? AND done")) {
                s.setString(1, segment);
                s.setInt(2, version);
                java.util.Map<Integer, String> out = new java.util.TreeMap<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getInt(1), rs.getString(2));
                    }
                }
                return out;
            }
        });
    }
}
