package io.tessera.store.postgres;

import io.tessera.ingest.hook.HookSource;
import io.tessera.ingest.hook.HookSourceCodec;
import io.tessera.ingest.hook.HookSourceStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Inbound webhook sources in PostgreSQL (migration {@code V9__sync.sql}): one row per source in its
 * stored JSON form ({@link HookSourceCodec#toStoredJson}). Thread-safe; does not own the
 * {@link PostgresDatabase}.
 */
public final class PostgresHookSourceStore implements HookSourceStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PostgresDatabase db;

    public PostgresHookSourceStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void save(HookSource source) {
        String stored = JSON.writeValueAsString(HookSourceCodec.toStoredJson(source));
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO hook_sources(name, source) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET source = excluded.source")) {
                s.setString(1, source.name());
                s.setString(2, stored);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public Optional<HookSource> get(String name) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT name, source FROM hook_sources WHERE name = ?")) {
                s.setString(1, name);
                return sources(s).stream().findFirst();
            }
        });
    }

    @Override
    public List<HookSource> list() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT name, source FROM hook_sources ORDER BY name")) {
                return sources(s);
            }
        });
    }

    @Override
    public boolean delete(String name) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM hook_sources WHERE name = ?")) {
                s.setString(1, name);
                return s.executeUpdate() > 0;
            }
        });
    }

    private static List<HookSource> sources(PreparedStatement s) throws SQLException {
        List<HookSource> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(HookSourceCodec.fromStoredJson(rs.getString(1), JSON.readTree(rs.getString(2))));
            }
        }
        return out;
    }
}
