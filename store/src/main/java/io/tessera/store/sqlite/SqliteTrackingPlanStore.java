package io.tessera.store.sqlite;

import io.tessera.quality.PlanMode;
import io.tessera.quality.TrackingPlan;
import io.tessera.quality.TrackingPlanStore;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The embedded {@link TrackingPlanStore}: one row per plan version in a SQLite file (usually
 * {@code tessera.db}); a deletion is a row with {@code deleted = 1} so history survives. Versions
 * are assigned inside the write transaction, so concurrent saves never share a number. Thread-safe.
 */
public final class SqliteTrackingPlanStore implements TrackingPlanStore, AutoCloseable {
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS tracking_plans (
              event TEXT NOT NULL, version INTEGER NOT NULL, schema TEXT NOT NULL, mode TEXT NOT NULL,
              deleted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (event, version));
            """;
    private static final String NEWEST = """
            SELECT event, version, schema, mode, deleted FROM tracking_plans t
            WHERE version = (SELECT MAX(version) FROM tracking_plans WHERE event = t.event)""";

    private final SqliteDatabase db;

    public SqliteTrackingPlanStore(Path dbFile) {
        this.db = new SqliteDatabase(dbFile, SCHEMA);
    }

    @Override
    public List<TrackingPlan> current() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(NEWEST + " AND deleted = 0 ORDER BY event")) {
                return plans(s.executeQuery());
            }
        });
    }

    @Override
    public Optional<TrackingPlan> current(String event) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(NEWEST + " AND deleted = 0 AND event = ?")) {
                s.setString(1, event);
                return plans(s.executeQuery()).stream().findFirst();
            }
        });
    }

    @Override
    public List<TrackingPlan> versions(String event) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT event, version, schema, mode, deleted FROM tracking_plans WHERE event = ? AND deleted = 0 ORDER BY version")) {
                s.setString(1, event);
                return plans(s.executeQuery());
            }
        });
    }

    @Override
    public TrackingPlan save(String event, String schema, PlanMode mode) {
        return db.write(c -> {
            int version = nextVersion(c, event);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO tracking_plans(event, version, schema, mode) VALUES (?, ?, ?, ?)")) {
                s.setString(1, event);
                s.setInt(2, version);
                s.setString(3, schema);
                s.setString(4, mode.name());
                s.executeUpdate();
            }
            return new TrackingPlan(event, version, schema, mode);
        });
    }

    @Override
    public boolean delete(String event) {
        return db.write(c -> {
            Optional<TrackingPlan> now;
            try (PreparedStatement s = c.prepareStatement(NEWEST + " AND deleted = 0 AND event = ?")) {
                s.setString(1, event);
                now = plans(s.executeQuery()).stream().findFirst();
            }
            if (now.isEmpty()) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO tracking_plans(event, version, schema, mode, deleted) VALUES (?, ?, '', ?, 1)")) {
                s.setString(1, event);
                s.setInt(2, nextVersion(c, event));
                s.setString(3, now.get().mode().name());
                s.executeUpdate();
            }
            return true;
        });
    }

    private static int nextVersion(java.sql.Connection c, String event) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(version), 0) + 1 FROM tracking_plans WHERE event = ?")) {
            s.setString(1, event);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static List<TrackingPlan> plans(ResultSet r) throws SQLException {
        try (r) {
            List<TrackingPlan> out = new ArrayList<>();
            while (r.next()) {
                out.add(new TrackingPlan(r.getString(1), r.getInt(2), r.getString(3), PlanMode.valueOf(r.getString(4))));
            }
            return out;
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
