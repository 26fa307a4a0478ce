package io.tessera.store.postgres;

import io.tessera.segment.WindowTimerStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Window timers in PostgreSQL (migrations {@code V4__segments.sql}, {@code V37__segment_timer_partition.sql}):
 * one row per profile, due time in microseconds rounded up (PostgreSQL's own timestamps stop at
 * microseconds too), filed under the log partition of the profile, indexed by due time and by
 * (partition, due time) for a node that fires only its own partitions' timers. {@link #apply} is one transaction of the owner-epoch check
 * ({@link PostgresOwnerEpochs}), an upsert batch and a delete batch. Thread-safe; does
 * not own the {@link PostgresDatabase}.
 */
public final class PostgresWindowTimerStore implements WindowTimerStore {
    private static final String UPSERT = "INSERT INTO segment_timer(profile_id, due_at, log_partition) VALUES (?, ?, ?) "
            + "ON CONFLICT (profile_id) DO UPDATE SET due_at = excluded.due_at, log_partition = excluded.log_partition";
    private static final String DELETE = "DELETE FROM segment_timer WHERE profile_id = ?";

    private final PostgresDatabase db;
    private final PostgresOwnerEpochs epochs;

    /** Unfenced: for one node (and the tests of the port). */
    public PostgresWindowTimerStore(PostgresDatabase db) {
        this(db, new PostgresOwnerEpochs(db));
    }

    /** Every {@link #apply} first checks the node's owner epochs, and is rolled back if one moved. */
    public PostgresWindowTimerStore(PostgresDatabase db, PostgresOwnerEpochs epochs) {
        this.db = db;
        this.epochs = epochs;
    }

    /** Rounded up to the microsecond so a timer never fires before its exact instant. */
    private static long microsUp(Instant t) {
        return Math.multiplyExact(t.getEpochSecond(), 1_000_000L) + t.getNano() / 1_000 + (t.getNano() % 1_000 == 0 ? 0 : 1);
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    @Override
    public void schedule(String profileId, Instant dueAt) {
        apply(Map.of(profileId, Optional.of(dueAt)));
    }

    @Override
    public void cancel(String profileId) {
        apply(Map.of(profileId, Optional.empty()));
    }

    @Override
    public void apply(Map<String, Optional<Instant>> updates, Map<String, Integer> partitions) {
        if (updates.isEmpty()) {
            return;
        }
        db.write(c -> {
            epochs.check(c);
            try (PreparedStatement upsert = c.prepareStatement(UPSERT); PreparedStatement delete = c.prepareStatement(DELETE)) {
                int upserts = 0;
                int deletes = 0;
                for (Map.Entry<String, Optional<Instant>> u : new TreeMap<>(updates).entrySet()) {
                    if (u.getValue().isPresent()) {
                        upsert.setString(1, u.getKey());
                        upsert.setLong(2, microsUp(u.getValue().get()));
                        upsert.setInt(3, partitions.getOrDefault(u.getKey(), 0));
                        upsert.addBatch();
                        upserts++;
                    } else {
                        delete.setString(1, u.getKey());
                        delete.addBatch();
                        deletes++;
                    }
                }
                if (upserts > 0) {
                    upsert.executeBatch();
                }
                if (deletes > 0) {
                    delete.executeBatch();
                }
            }
            return null;
        });
    }

    @Override
    public Optional<Instant> scheduled(String profileId) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT due_at FROM segment_timer WHERE profile_id = ?")) {
                s.setString(1, profileId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(instant(rs.getLong(1))) : Optional.<Instant>empty();
                }
            }
        });
    }

    @Override
    public List<WindowTimer> due(Instant now, int limit) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT profile_id, due_at FROM segment_timer WHERE due_at <= ? ORDER BY due_at, profile_id LIMIT ?")) {
                // a timer rounded up past now is not due yet: compare against now rounded down
                s.setLong(1, Math.multiplyExact(now.getEpochSecond(), 1_000_000L) + now.getNano() / 1_000);
                s.setInt(2, limit);
                List<WindowTimer> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new WindowTimer(rs.getString(1), instant(rs.getLong(2))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<WindowTimer> due(Instant now, int limit, java.util.Set<Integer> partitions) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT profile_id, due_at FROM segment_timer "
                    + "WHERE log_partition = ANY (?) AND due_at <= ? ORDER BY due_at, profile_id LIMIT ?")) {
                s.setArray(1, c.createArrayOf("integer", partitions.toArray()));
                s.setLong(2, Math.multiplyExact(now.getEpochSecond(), 1_000_000L) + now.getNano() / 1_000);
                s.setInt(3, limit);
                List<WindowTimer> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new WindowTimer(rs.getString(1), instant(rs.getLong(2))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<Instant> next() {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT min(due_at) FROM segment_timer")) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.<Instant>empty() : Optional.of(instant(v));
            }
        });
    }

    /** Nothing to release: the pool belongs to the {@link PostgresDatabase}. */
    @Override
    public void close() {
    }
}
