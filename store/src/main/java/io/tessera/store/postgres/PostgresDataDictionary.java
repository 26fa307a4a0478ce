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
 *
 * <p><b>Fencing.</b> The offset is a compare-and-set, like the profile commit's: this instance
 * remembers, per partition, the offset it last read ({@link #resumeAfter}, which the log calls on
 * assignment) or wrote, and {@link #record} moves the stored offset only from that value, first in
 * its transaction (the row lock serializes two writers); otherwise the batch is rolled back whole
 * with {@link io.tessera.profile.FencedCommitException}; the remembered offset stays, so every
 * later batch fails too until the log's retry re-reads the stored offset ({@link #resumeAfter}). A node fenced out of the dictionary's consumer group
 * therefore cannot count a batch its successor already counted. A partition never read here is
 * written unconditionally (one writer).
 */
public final class PostgresDataDictionary implements DataDictionary {
    private static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final PostgresDatabase db;
    /** Partition → the offset this instance last read or wrote there: what a write expects to find. */
    private final Map<Integer, Long> expected = new java.util.concurrent.ConcurrentHashMap<>();

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
                    long stored = r.next() ? r.getLong(1) : -1L;
                    expected.put(partition, stored);
                    return stored;
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
        Long from = expected.get(partition);
        db.write(c -> {
            moveOffset(c, partition, from, lastOffset);
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
            return null;
        });
        expected.put(partition, lastOffset);
    }

    /** The compare-and-set (unconditional when {@code from} is null: this instance never read the partition). */
    private static void moveOffset(java.sql.Connection c, int partition, Long from, long to) throws java.sql.SQLException {
        String sql = from == null
                ? "INSERT INTO data_dictionary_offsets(partition, last_offset) VALUES (?, ?) "
                        + "ON CONFLICT (partition) DO UPDATE SET last_offset = excluded.last_offset"
                : from < 0
                        ? "INSERT INTO data_dictionary_offsets(partition, last_offset) VALUES (?, ?) ON CONFLICT (partition) DO NOTHING"
                        : "UPDATE data_dictionary_offsets SET last_offset = ? WHERE partition = ? AND last_offset = ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (from != null && from >= 0) {
                s.setLong(1, to);
                s.setInt(2, partition);
                s.setLong(3, from);
            } else {
                s.setInt(1, partition);
                s.setLong(2, to);
            }
            if (s.executeUpdate() != 1 && from != null) {
                throw new io.tessera.profile.FencedCommitException(partition, from, stored(c, partition));
            }
        }
    }

    private static long stored(java.sql.Connection c, int partition) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT last_offset FROM data_dictionary_offsets WHERE partition = ?")) {
            s.setInt(1, partition);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : -1L;
            }
        }
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
