package io.tessera.store.postgres;

import io.tessera.quality.QualitySettings;
import io.tessera.quality.QualitySettingsCodec;
import io.tessera.quality.QualitySettingsStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Quality settings in PostgreSQL (migration {@code V8__quality_settings.sql}): one row per document,
 * {@code settings} as {@link QualitySettingsCodec} JSON and {@code taxonomy} as its CSV text; a save
 * replaces its row in one upsert. Thread-safe; does not own the {@link PostgresDatabase}.
 */
public final class PostgresQualitySettingsStore implements QualitySettingsStore {
    private static final QualitySettingsCodec CODEC = new QualitySettingsCodec();

    private final PostgresDatabase db;

    public PostgresQualitySettingsStore(PostgresDatabase db) {
        this.db = db;
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
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO quality_settings(name, body) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body")) {
                s.setString(1, name);
                s.setString(2, body);
                return s.executeUpdate();
            }
        });
    }
}
