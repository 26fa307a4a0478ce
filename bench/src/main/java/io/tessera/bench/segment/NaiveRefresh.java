package io.tessera.bench.segment;

import io.tessera.event.Event;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * The naive baseline of the segments benchmark: what a SQL-scheduled system does, i.e. the same
 * segments as SQL queries re-run over an SQLite {@code events} table (indexed by name and time)
 * holding the same base histories. Its event-to-membership latency is at least one refresh cycle.
 */
final class NaiveRefresh {
    /** Load and one full refresh, in seconds, and the member rows the refresh returned. */
    record Result(double loadSeconds, double refreshSeconds, long rows) {}

    private NaiveRefresh() {}

    static Result run(Path dir, SyntheticProfiles store, List<BenchSegments.Spec> specs, int profiles) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("naive.db"))) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("CREATE TABLE events (profile_id TEXT, name TEXT, ts INTEGER, revenue REAL, category TEXT)");
                s.execute("CREATE TABLE profiles (profile_id TEXT PRIMARY KEY, plan TEXT)");
            }
            long l0 = System.nanoTime();
            c.setAutoCommit(false);
            try (PreparedStatement ev = c.prepareStatement("INSERT INTO events VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement pr = c.prepareStatement("INSERT INTO profiles VALUES (?, ?)")) {
                for (int i = 0; i < profiles; i++) {
                    String id = SyntheticProfiles.id(i);
                    pr.setString(1, id);
                    pr.setString(2, SyntheticProfiles.plan(i));
                    pr.addBatch();
                    for (Event e : store.history(id)) {
                        ev.setString(1, id);
                        ev.setString(2, e.name());
                        ev.setLong(3, e.timestamp().toEpochMilli());
                        ev.setDouble(4, ((Number) e.properties().get("revenue")).doubleValue());
                        ev.setString(5, (String) e.properties().get("category"));
                        ev.addBatch();
                    }
                    if (i % 10_000 == 0) {
                        pr.executeBatch();
                        ev.executeBatch();
                    }
                }
                pr.executeBatch();
                ev.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE INDEX events_name_ts ON events(name, ts)");
                s.execute("CREATE INDEX events_ts ON events(ts)");
            }
            double load = (System.nanoTime() - l0) / 1e9;
            long q0 = System.nanoTime();
            long rows = 0;
            long now = System.currentTimeMillis();
            for (BenchSegments.Spec spec : specs) {
                try (PreparedStatement q = c.prepareStatement(spec.sql())) {
                    q.setLong(1, now);
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            rows++;
                        }
                    }
                }
            }
            return new Result(load, (System.nanoTime() - q0) / 1e9, rows);
        }
    }
}
