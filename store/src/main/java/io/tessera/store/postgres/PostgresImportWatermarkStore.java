package io.tessera.store.postgres;

import io.tessera.ingest.watermark.ImportWatermarkStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * The watermark of each import source in PostgreSQL (migration {@code V30__import_watermarks.sql}).
 * Thread-safe; does not own the {@link PostgresDatabase}.
 */
public final class PostgresImportWatermarkStore implements ImportWatermarkStore {
    private final PostgresDatabase db;

    public PostgresImportWatermarkStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<String> get(String source) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT watermark FROM import_watermarks WHERE source = ?")) {
                s.setString(1, source);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public void save(String source, String watermark) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO import_watermarks(source, watermark) VALUES (?, ?)
                    ON CONFLICT (source) DO UPDATE SET watermark = excluded.watermark""")) {
                s.setString(1, source);
                s.setString(2, watermark);
                return s.executeUpdate();
            }
        });
    }
}
