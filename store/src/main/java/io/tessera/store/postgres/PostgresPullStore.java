package io.tessera.store.postgres;

import io.tessera.ingest.pull.PullSource;
import io.tessera.ingest.pull.PullState;
import io.tessera.ingest.pull.PullStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scheduled pulls and their cursors in PostgreSQL (migration {@code V9__sync.sql}): the pull in its
 * stored JSON form, its state in columns; deleting a pull deletes its state in the same transaction.
 * Thread-safe; does not own the {@link PostgresDatabase}.
 */
public final class PostgresPullStore implements PullStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PostgresDatabase db;

    public PostgresPullStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void save(PullSource source) {
        String stored = JSON.writeValueAsString(source.toStoredJson());
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO pulls(name, source) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET source = excluded.source")) {
                s.setString(1, source.name());
                s.setString(2, stored);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public Optional<PullSource> get(String name) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT name, source FROM pulls WHERE name = ?")) {
                s.setString(1, name);
                return sources(s).stream().findFirst();
            }
        });
    }

    @Override
    public List<PullSource> list() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT name, source FROM pulls ORDER BY name")) {
                return sources(s);
            }
        });
    }

    @Override
    public boolean delete(String name) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM pulls WHERE name = ?");
                    PreparedStatement st = c.prepareStatement("DELETE FROM pull_state WHERE name = ?")) {
                st.setString(1, name);
                st.executeUpdate();
                s.setString(1, name);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public PullState state(String name) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT cursor, last_run, last_error, records FROM pull_state WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return PullState.NEW;
                    }
                    long run = rs.getLong(2);
                    Optional<Instant> lastRun = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(run));
                    return new PullState(Optional.ofNullable(rs.getString(1)), lastRun, Optional.ofNullable(rs.getString(3)), rs.getLong(4));
                }
            }
        });
    }

    @Override
    public void saveState(String name, PullState state) {
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO pull_state(name, cursor, last_run, last_error, records) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, last_run = excluded.last_run,
                      last_error = excluded.last_error, records = excluded.records""")) {
                s.setString(1, name);
                s.setString(2, state.cursor().orElse(null));
                if (state.lastRun().isPresent()) {
                    s.setLong(3, state.lastRun().get().toEpochMilli());
                } else {
                    s.setNull(3, Types.BIGINT);
                }
                s.setString(4, state.lastError().orElse(null));
                s.setLong(5, state.records());
                return s.executeUpdate();
            }
        });
    }

    private static List<PullSource> sources(PreparedStatement s) throws SQLException {
        List<PullSource> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(PullSource.fromJson(rs.getString(1), JSON.readTree(rs.getString(2)), Optional.empty()));
            }
        }
        return out;
    }
}
