package io.tessera.store.sqlite;

import io.tessera.segment.SegmentDefinition;
import io.tessera.segment.SegmentDefinitionStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Segment definitions and their versions in SQLite; deletion is a flag. Thread-safe (synchronized). */
public final class SqliteSegmentDefinitionStore implements SegmentDefinitionStore {
    private final Connection db;

    public SqliteSegmentDefinitionStore(Path dbFile) {
        this.db = SegmentSqlite.open(dbFile,
                "CREATE TABLE IF NOT EXISTS segment_version (segment TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, "
                        + "condition TEXT NOT NULL, saved_at INTEGER NOT NULL, PRIMARY KEY (segment, version))",
                "CREATE TABLE IF NOT EXISTS segment_deleted (segment TEXT PRIMARY KEY)");
    }

    @Override
    public synchronized void save(SegmentDefinition d) {
        try (PreparedStatement s = db.prepareStatement("INSERT INTO segment_version VALUES (?, ?, ?, ?, ?)");
             PreparedStatement undelete = db.prepareStatement("DELETE FROM segment_deleted WHERE segment = ?")) {
            s.setString(1, d.key());
            s.setInt(2, d.version());
            s.setString(3, d.name());
            s.setString(4, d.condition());
            s.setLong(5, d.savedAt().toEpochMilli());
            s.executeUpdate();
            undelete.setString(1, d.key());
            undelete.executeUpdate();
        } catch (SQLException e) {
            throw SegmentSqlite.failure("save segment", e);
        }
    }

    @Override
    public synchronized List<SegmentDefinition> active() {
        return query("SELECT segment, version, name, condition, saved_at FROM segment_version v WHERE version = "
                + "(SELECT MAX(version) FROM segment_version w WHERE w.segment = v.segment) "
                + "AND segment NOT IN (SELECT segment FROM segment_deleted) ORDER BY segment", null);
    }

    @Override
    public synchronized List<SegmentDefinition> versions(String key) {
        return query("SELECT segment, version, name, condition, saved_at FROM segment_version WHERE segment = ? ORDER BY version", key);
    }

    private List<SegmentDefinition> query(String sql, String key) {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            if (key != null) {
                s.setString(1, key);
            }
            List<SegmentDefinition> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new SegmentDefinition(rs.getString(1), rs.getString(3), rs.getString(4), rs.getInt(2),
                            Instant.ofEpochMilli(rs.getLong(5))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read segments", e);
        }
    }

    @Override
    public synchronized void delete(String key) {
        try (PreparedStatement s = db.prepareStatement("INSERT OR IGNORE INTO segment_deleted VALUES (?)")) {
            s.setString(1, key);
            s.executeUpdate();
        } catch (SQLException e) {
            throw SegmentSqlite.failure("delete segment", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw SegmentSqlite.failure("close", e);
        }
    }
}
