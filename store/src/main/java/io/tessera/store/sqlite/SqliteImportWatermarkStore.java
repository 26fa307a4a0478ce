package io.tessera.store.sqlite;

import io.tessera.ingest.watermark.ImportWatermarkStore;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** The embedded {@link ImportWatermarkStore}: one row per import source in {@code tessera.db}. Thread-safe. */
public final class SqliteImportWatermarkStore implements ImportWatermarkStore, AutoCloseable {
    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS import_watermarks (source TEXT PRIMARY KEY, watermark TEXT NOT NULL);";

    private final SqliteDatabase db;

    public SqliteImportWatermarkStore(Path dbFile) {
        this.db = new SqliteDatabase(dbFile, SCHEMA);
    }

    @Override
    public Optional<String> get(String source) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT watermark FROM import_watermarks WHERE source = ?")) {
                s.setString(1, source);
                ResultSet rs = s.executeQuery();
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
        });
    }

    @Override
    public void save(String source, String watermark) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO import_watermarks(source, watermark) VALUES (?, ?)
                    ON CONFLICT(source) DO UPDATE SET watermark = excluded.watermark""")) {
                s.setString(1, source);
                s.setString(2, watermark);
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
