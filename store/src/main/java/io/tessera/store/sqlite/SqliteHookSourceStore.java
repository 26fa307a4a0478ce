package io.tessera.store.sqlite;

import io.tessera.ingest.hook.HookSource;
import io.tessera.ingest.hook.HookSourceCodec;
import io.tessera.ingest.hook.HookSourceStore;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedded {@link HookSourceStore}: one row per source in {@code tessera.db}, the source in its
 * stored JSON form ({@link HookSourceCodec#toStoredJson}). Thread-safe.
 */
public final class SqliteHookSourceStore implements HookSourceStore, AutoCloseable {
    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS hook_sources (name TEXT PRIMARY KEY, source TEXT NOT NULL);";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SqliteDatabase db;

    public SqliteHookSourceStore(Path dbFile) {
        this.db = new SqliteDatabase(dbFile, SCHEMA);
    }

    @Override
    public void save(HookSource source) {
        String stored = JSON.writeValueAsString(HookSourceCodec.toStoredJson(source));
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO hook_sources(name, source) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET source = excluded.source")) {
                s.setString(1, source.name());
                s.setString(2, stored);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<HookSource> get(String name) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT name, source FROM hook_sources WHERE name = ?")) {
                s.setString(1, name);
                return sources(s.executeQuery()).stream().findFirst();
            }
        });
    }

    @Override
    public List<HookSource> list() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT name, source FROM hook_sources ORDER BY name")) {
                return sources(s.executeQuery());
            }
        });
    }

    @Override
    public boolean delete(String name) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM hook_sources WHERE name = ?")) {
                s.setString(1, name);
                return s.executeUpdate() > 0;
            }
        });
    }

    private static List<HookSource> sources(ResultSet rs) throws java.sql.SQLException {
        List<HookSource> out = new ArrayList<>();
        while (rs.next()) {
            out.add(HookSourceCodec.fromStoredJson(rs.getString(1), JSON.readTree(rs.getString(2))));
        }
        return out;
    }

    @Override
    public void close() {
        db.close();
    }
}
