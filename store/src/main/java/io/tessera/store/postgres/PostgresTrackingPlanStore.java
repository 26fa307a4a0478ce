package io.tessera.store.postgres;

import io.tessera.quality.PlanMode;
import io.tessera.quality.TrackingPlan;
import io.tessera.quality.TrackingPlanStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tracking plans in PostgreSQL (migration {@code V6__quality.sql}): one row per plan version, a
 * deletion is a row flagged {@code deleted} so history survives. Versions are numbered under an
 * advisory lock on the event, inside the write transaction, so concurrent saves from any node never
 * share a number. Thread-safe; does not own the {@link PostgresDatabase}.
 */
public final class PostgresTrackingPlanStore implements TrackingPlanStore {
    private static final String NEWEST = """
            SELECT event, version, schema, mode FROM tracking_plans t
            WHERE version = (SELECT max(version) FROM tracking_plans WHERE event = t.event) AND NOT deleted""";

    private final PostgresDatabase db;

    public PostgresTrackingPlanStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public List<TrackingPlan> current() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(NEWEST + " ORDER BY event")) {
                return plans(s);
            }
        });
    }

    @Override
    public Optional<TrackingPlan> current(String event) {
        return db.read(c -> current(c, event));
    }

    private static Optional<TrackingPlan> current(Connection c, String event) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(NEWEST + " AND event = ?")) {
            s.setString(1, event);
            return plans(s).stream().findFirst();
        }
    }

    @Override
    public List<TrackingPlan> versions(String event) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT event, version, schema, mode FROM tracking_plans WHERE event = ? AND NOT deleted ORDER BY version")) {
                s.setString(1, event);
                return plans(s);
            }
        });
    }

    @Override
    public TrackingPlan save(String event, String schema, PlanMode mode) {
        return db.write(c -> {
            PostgresDatabase.lock(c, "tracking_plan", event);
            int version = nextVersion(c, event);
            insert(c, new TrackingPlan(event, version, schema, mode), false);
            return new TrackingPlan(event, version, schema, mode);
        });
    }

    @Override
    public boolean delete(String event) {
        return db.write(c -> {
            PostgresDatabase.lock(c, "tracking_plan", event);
            Optional<TrackingPlan> now = current(c, event);
            if (now.isEmpty()) {
                return false;
            }
            insert(c, new TrackingPlan(event, nextVersion(c, event), "", now.get().mode()), true);
            return true;
        });
    }

    private static void insert(Connection c, TrackingPlan p, boolean deleted) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO tracking_plans(event, version, schema, mode, deleted) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, p.event());
            s.setInt(2, p.version());
            s.setString(3, p.schema());
            s.setString(4, p.mode().name());
            s.setBoolean(5, deleted);
            s.executeUpdate();
        }
    }

    private static int nextVersion(Connection c, String event) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT coalesce(max(version), 0) + 1 FROM tracking_plans WHERE event = ?")) {
            s.setString(1, event);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static List<TrackingPlan> plans(PreparedStatement s) throws SQLException {
        try (ResultSet r = s.executeQuery()) {
            List<TrackingPlan> out = new ArrayList<>();
            while (r.next()) {
                out.add(new TrackingPlan(r.getString(1), r.getInt(2), r.getString(3), PlanMode.valueOf(r.getString(4))));
            }
            return out;
        }
    }
}
