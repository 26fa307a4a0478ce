package io.tessera.store.sqlite;

import io.tessera.quality.DataDictionary;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded {@link DataDictionary}: counts per (event, property, type) and the last applied
 * log offset per partition, in one SQLite file, updated in one transaction per batch (upserts),
 * so a redelivered batch is never counted twice. Thread-safe.
 */
public final class SqliteDataDictionary implements DataDictionary, AutoCloseable {
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS data_dictionary (
              event TEXT NOT NULL, property TEXT NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL,
              first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, PRIMARY KEY (event, property, type));
            CREATE TABLE IF NOT EXISTS data_dictionary_offsets (partition INTEGER PRIMARY KEY, last_offset INTEGER NOT NULL);
            """;

    private final SqliteDatabase db;

    public SqliteDataDictionary(Path dbFile) {
        this.db = new SqliteDatabase(dbFile, SCHEMA);
    }

    @Override
    public long resumeAfter(int partition) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT last_offset FROM data_dictionary_offsets WHERE partition = ?")) {
                s.setInt(1, partition);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getLong(1) : -1L;
                }
            }
        });
    }

    @Override
    public void record(int partition, long lastOffset, List<Entry> observed) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO data_dictionary(event, property, type, count, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(event, property, type) DO UPDATE SET count = count + excluded.count,
                      first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen)""")) {
                for (Entry e : observed) {
                    s.setString(1, e.event());
                    s.setString(2, e.property());
                    s.setString(3, e.type());
                    s.setLong(4, e.count());
                    s.setString(5, sortable(e.firstSeen()));
                    s.setString(6, sortable(e.lastSeen()));
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO data_dictionary_offsets(partition, last_offset) VALUES (?, ?) ON CONFLICT(partition) DO UPDATE SET last_offset = excluded.last_offset")) {
                s.setInt(1, partition);
                s.setLong(2, lastOffset);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Fixed-width UTC text so that SQL MIN/MAX order it as time. */
    private static String sortable(Instant i) {
        return java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC).format(i);
    }

    @Override
    public List<Entry> entries() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT event, property, type, count, first_seen, last_seen FROM data_dictionary ORDER BY event, property, type");
                 ResultSet r = s.executeQuery()) {
                List<Entry> out = new ArrayList<>();
                while (r.next()) {
                    out.add(new Entry(r.getString(1), r.getString(2), r.getString(3), r.getLong(4),
                            Instant.parse(r.getString(5)), Instant.parse(r.getString(6))));
                }
                return out;
            }
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
