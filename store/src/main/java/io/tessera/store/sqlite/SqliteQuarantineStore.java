package io.tessera.store.sqlite;

import io.tessera.quality.QuarantineStore;
import io.tessera.quality.QuarantinedRecord;
import io.tessera.quality.Reason;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedded {@link QuarantineStore}: one table in a SQLite file (WAL), usually the same
 * {@code tessera.db} as {@link SqliteProfileStore}. Ids are {@code q_<sequence>}, so "newest first"
 * and "before this id" are sequence order. Reason codes are also kept as {@code ,code1,code2,}
 * so listing by code needs no JSON functions. Thread-safe.
 */
public final class SqliteQuarantineStore implements QuarantineStore, AutoCloseable {
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS quarantine (
              seq INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, raw TEXT NOT NULL,
              reasons TEXT NOT NULL, codes TEXT NOT NULL, at TEXT NOT NULL, status TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS quarantine_by_status ON quarantine(status);
            """;
    private static final TypeReference<List<Map<String, String>>> REASONS = new TypeReference<>() {};

    private final SqliteDatabase db;
    private final JsonMapper json = JsonMapper.builder().build();

    public SqliteQuarantineStore(Path dbFile) {
        this.db = new SqliteDatabase(dbFile, SCHEMA);
    }

    @Override
    public List<QuarantinedRecord> add(List<QuarantinedRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        return db.write(c -> {
            List<QuarantinedRecord> out = new ArrayList<>(records.size());
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO quarantine(source, raw, reasons, codes, at, status) VALUES (?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                for (QuarantinedRecord r : records) {
                    s.setString(1, r.source());
                    s.setString(2, r.raw());
                    s.setString(3, json.writeValueAsString(r.reasons().stream().map(SqliteQuarantineStore::toMap).toList()));
                    s.setString(4, "," + String.join(",", r.reasons().stream().map(Reason::code).toList()) + ",");
                    s.setString(5, r.at().toString());
                    s.setString(6, r.status().name());
                    s.executeUpdate();
                    try (ResultSet keys = s.getGeneratedKeys()) {
                        keys.next();
                        out.add(new QuarantinedRecord("q_" + keys.getLong(1), r.source(), r.raw(), r.reasons(), r.at(), r.status()));
                    }
                }
            }
            return out;
        });
    }

    private static Map<String, String> toMap(Reason r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("code", r.code());
        m.put("pointer", r.pointer());
        m.put("message", r.message());
        return m;
    }

    @Override
    public Optional<QuarantinedRecord> get(String id) {
        Optional<Long> seq = seqOf(id);
        if (seq.isEmpty()) {
            return Optional.empty();
        }
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT seq, source, raw, reasons, at, status FROM quarantine WHERE seq = ?")) {
                s.setLong(1, seq.get());
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(record(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<QuarantinedRecord> list(String code, String source, String beforeId, int limit) {
        long before = beforeId.isEmpty() ? Long.MAX_VALUE : seqOf(beforeId).orElse(Long.MAX_VALUE);
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT seq, source, raw, reasons, at, status FROM quarantine
                    WHERE seq < ? AND (? = '' OR codes LIKE '%,' || ? || ',%') AND (? = '' OR source = ?)
                    ORDER BY seq DESC LIMIT ?""")) {
                s.setLong(1, before);
                s.setString(2, code);
                s.setString(3, code);
                s.setString(4, source);
                s.setString(5, source);
                s.setInt(6, limit);
                List<QuarantinedRecord> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(record(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void setStatus(String id, QuarantinedRecord.Status status) {
        seqOf(id).ifPresent(seq -> db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE quarantine SET status = ? WHERE seq = ?")) {
                s.setString(1, status.name());
                s.setLong(2, seq);
                return s.executeUpdate();
            }
        }));
    }

    @Override
    public long count() {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM quarantine WHERE status = 'QUARANTINED'")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Closes the connections (the port has no close; the composition root owns this object). */
    @Override
    public void close() {
        db.close();
    }

    private QuarantinedRecord record(ResultSet rs) throws SQLException {
        List<Reason> reasons = json.readValue(rs.getString(4), REASONS).stream()
                .map(m -> new Reason(m.get("code"), m.get("pointer"), m.get("message"))).toList();
        return new QuarantinedRecord("q_" + rs.getLong(1), rs.getString(2), rs.getString(3), reasons,
                Instant.parse(rs.getString(5)), QuarantinedRecord.Status.valueOf(rs.getString(6)));
    }

    private static Optional<Long> seqOf(String id) {
        if (!id.startsWith("q_")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(id.substring(2)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
