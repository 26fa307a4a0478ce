package io.tessera.store.postgres;

import io.tessera.quality.QuarantineStore;
import io.tessera.quality.QuarantinedRecord;
import io.tessera.quality.Reason;
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
 * The cluster {@link QuarantineStore} (migration {@code V2__quarantine.sql}). Ids are
 * {@code q_<seq>} as in SQLite. {@link #add} takes its sequence numbers in one query and writes
 * all records in one batch, so ids are known without per-row round trips and increase in the
 * order given. Thread-safe; does not own the {@link PostgresDatabase}.
 */
public final class PostgresQuarantineStore implements QuarantineStore {
    private static final TypeReference<List<Map<String, String>>> REASONS = new TypeReference<>() {};

    private final PostgresDatabase db;
    private final JsonMapper json = JsonMapper.builder().build();

    public PostgresQuarantineStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public List<QuarantinedRecord> add(List<QuarantinedRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        return db.write(c -> {
            List<Long> seqs = new ArrayList<>(records.size());
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT nextval(pg_get_serial_sequence('quarantine', 'seq')) FROM generate_series(1, ?)")) {
                s.setInt(1, records.size());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(rs.getLong(1));
                    }
                }
            }
            seqs.sort(null);
            List<QuarantinedRecord> out = new ArrayList<>(records.size());
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO quarantine(seq, source, raw, reasons, codes, at, status) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < records.size(); i++) {
                    QuarantinedRecord r = records.get(i);
                    s.setLong(1, seqs.get(i));
                    s.setString(2, r.source());
                    s.setString(3, r.raw());
                    s.setString(4, json.writeValueAsString(r.reasons().stream().map(PostgresQuarantineStore::toMap).toList()));
                    s.setArray(5, c.createArrayOf("text", r.reasons().stream().map(Reason::code).toArray()));
                    s.setString(6, r.at().toString());
                    s.setString(7, r.status().name());
                    s.addBatch();
                    out.add(new QuarantinedRecord("q_" + seqs.get(i), r.source(), r.raw(), r.reasons(), r.at(), r.status()));
                }
                s.executeBatch();
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
            try (PreparedStatement s = c.prepareStatement("SELECT seq, source, raw, reasons, at, status FROM quarantine WHERE seq = ?")) {
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
                    WHERE seq < ? AND (? = '' OR ? = ANY (codes)) AND (? = '' OR source = ?)
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
