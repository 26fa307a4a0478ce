package io.tessera.store.sqlite;

import io.tessera.quality.QualitySettings;
import io.tessera.quality.QualitySettingsCodec;
import io.tessera.quality.QualitySettingsStore;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * The embedded {@link QualitySettingsStore}: table {@code quality_settings(name, body)} in a SQLite
 * file (usually {@code tessera.db}), one row per document ({@code settings} as
 * {@link QualitySettingsCodec} JSON, {@code taxonomy} as the CSV text); a save replaces its row in
 * one statement. Thread-safe.
 */
public final class SqliteQualitySettingsStore implements QualitySettingsStore, AutoCloseable {
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS quality_settings (name TEXT PRIMARY KEY, body TEXT NOT NULL);
            """;
    private static final QualitySettingsCodec CODEC = new QualitySettingsCodec();

    private final SqliteDatabase db;

    public SqliteQualitySettingsStore(Path dbFile) {
        this.db = new SqliteDatabase(dbFile, SCHEMA);
    }

    @Override
    public Optional<QualitySettings> settings(QualitySettings base) {
        return body("settings").map(json -> CODEC.decode(json, base));
    }

    @Override
    public void saveSettings(QualitySettings settings) {
        save("settings", CODEC.encode(settings));
    }

    @Override
    public Optional<String> taxonomyCsv() {
        return body("taxonomy");
    }

    @Override
    public void saveTaxonomyCsv(String csv) {
        save("taxonomy", csv);
    }

    private Optional<String> body(String name) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT body FROM quality_settings WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    private void save(String name, String body) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT OR REPLACE INTO quality_settings(name, body) VALUES (?, ?)")) {
                s.setString(1, name);
                s.setString(2, body);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
