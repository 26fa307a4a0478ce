package io.tessera.store.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;

/**
 * Deletes profile history older than a cutoff (by event time, {@code history.ts_seconds}), in
 * bounded batches, so the table stops growing at the rate of the event stream (docs/SCALE-OUT.md,
 * "History retention"). Only {@code history} rows go: profiles keep their aggregates, traits and
 * identities, which were computed when the events were applied.
 *
 * <p>Each {@link #deleteBatch} is one short transaction that deletes at most {@code limit} rows found
 * through the {@code history_by_time} index (migration {@code V50__history_by_time.sql}), under a
 * transaction-scoped advisory lock taken without waiting: when several nodes run their schedules
 * at once, one deletes and the others skip the round, instead of all of them contending for the
 * same rows. Thread-safe; does not own the {@link PostgresDatabase}.
 */
public final class PostgresHistoryRetention {
    private final PostgresDatabase db;

    public PostgresHistoryRetention(PostgresDatabase db) {
        this.db = db;
    }

    /** The outcome of one batch: rows deleted, or skipped because another node holds the lock. */
    public record Batch(int deleted, boolean skipped) {}

    /** Deletes at most {@code limit} history rows whose event time is before {@code cutoff} (whole seconds). */
    public Batch deleteBatch(Instant cutoff, int limit) {
        return db.write(c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext('tessera.history-retention'))");
                    ResultSet rs = lock.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return new Batch(0, true);
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM history WHERE ctid = ANY (ARRAY(SELECT ctid FROM history WHERE ts_seconds < ? LIMIT ?))")) {
                s.setLong(1, cutoff.getEpochSecond());
                s.setInt(2, limit);
                return new Batch(s.executeUpdate(), false);
            }
        });
    }
}
