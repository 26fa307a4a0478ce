package io.tessera.store.postgres;

import io.tessera.segment.SegmentDefinition;
import io.tessera.segment.SegmentDefinitionStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Segment definitions and their versions in PostgreSQL (migration {@code V4__segments.sql});
 * deletion is a flag that the next save lifts, in the same transaction. Thread-safe; does not own
 * the {@link PostgresDatabase}.
 */
public final class PostgresSegmentDefinitionStore implements SegmentDefinitionStore {
    private static final String COLUMNS = "SELECT segment, version, name, condition, saved_at FROM segment_version";

    private final PostgresDatabase db;

    public PostgresSegmentDefinitionStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void save(SegmentDefinition d) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO segment_version(segment, version, name, condition, saved_at) VALUES (?, ?, ?, ?, ?)");
                    PreparedStatement undelete = c.prepareStatement("DELETE FROM segment_deleted WHERE segment = ?")) {
                s.setString(1, d.key());
                s.setInt(2, d.version());
                s.setString(3, d.name());
                s.setString(4, d.condition());
                s.setLong(5, d.savedAt().toEpochMilli());
                s.executeUpdate();
                undelete.setString(1, d.key());
                undelete.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<SegmentDefinition> active() {
        return query(COLUMNS + " v WHERE version = (SELECT max(version) FROM segment_version w WHERE w.segment = v.segment) "
                + "AND NOT EXISTS (SELECT 1 FROM segment_deleted d WHERE d.segment = v.segment) ORDER BY segment", List.of());
    }

    @Override
    public List<SegmentDefinition> versions(String key) {
        return query(COLUMNS + " WHERE segment = ? ORDER BY version", List.of(key));
    }

    private List<SegmentDefinition> query(String sql, List<String> args) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < args.size(); i++) {
                    s.setString(i + 1, args.get(i));
                }
                List<SegmentDefinition> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SegmentDefinition(rs.getString(1), rs.getString(3), rs.getString(4), rs.getInt(2),
                                Instant.ofEpochMilli(rs.getLong(5))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void delete(String key) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO segment_deleted(segment) VALUES (?) ON CONFLICT DO NOTHING")) {
                s.setString(1, key);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Nothing to release: the pool belongs to the {@link PostgresDatabase}. */
    @Override
    public void close() {
    }
}
