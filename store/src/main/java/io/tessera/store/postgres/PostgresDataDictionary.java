package io.tessera.store.postgres;

import io.tessera.quality.DataDictionary;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data dictionary in PostgreSQL (migration {@code V6__quality.sql}): counts per (event,
 * property, type) and the resume offset per partition, written in one transaction per batch so a
 * redelivered batch is never counted twice. The batch's entries are first summed per key (one
 * multi-row upsert may not touch a row twice), then upserted as one batch in key order. Thread-safe;
 * does not own the {@link PostgresDatabase}.
 */
public final class PostgresDataDictionary implements DataDictionary {
    private static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final PostgresDatabase db;

    public PostgresDataDictionary(PostgresDatabase db) {
        this.db = db;
    }

    private record Key(String event, String property, String type) {}

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
        Map<Key, Entry> summed = new TreeMap<>(java.util.Comparator.comparing(Key::event).thenComparing(Key::property)
                .thenComparing(Key::type));
        for (Entry e : observed) {
            summed.merge(new Key(e.event(), e.property(), e.type()), e, (a, b) -> new Entry(a.event(), a.property(), a.type(),
                    a.count() + b.count(), min(a.firstSeen(), b.firstSeen()), max(a.lastSeen(), b.lastSeen())));
        }
        db.write(c -> {
            if (!summed.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("""
                        INSERT INTO data_dictionary(event, property, type, count, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (event, property, type) DO UPDATE SET count = data_dictionary.count + excluded.count,
                          first_seen = least(data_dictionary.first_seen, excluded.first_seen),
                          last_seen = greatest(data_dictionary.last_seen, excluded.last_seen)""")) {
                    for (Entry e : summed.values()) {
                        s.setString(1, e.event());
                        s.setString(2, e.property());
                        s.setString(3, e.type());
                        s.setLong(4, e.count());
                        s.setString(5, SORTABLE.format(e.firstSeen()));
                        s.setString(6, SORTABLE.format(e.lastSeen()));
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO data_dictionary_offsets(partition, last_offset) VALUES (?, ?) "
                    + "ON CONFLICT (partition) DO UPDATE SET last_offset = excluded.last_offset")) {
                s.setInt(1, partition);
                s.setLong(2, lastOffset);
                s.executeUpdate();
            }
            return null;
        });
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
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
}
