package io.tessera.store.sqlite;

import io.tessera.content.BlockStore;
import io.tessera.content.EmailTemplate;
import io.tessera.store.TemplateJson;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.ObjectMapper;

/**
 * Block library versions in SQLite: one row per (key, version) holding the block as JSON (the
 * form templates store their blocks in); rows are only ever inserted. Thread-safe (synchronized
 * on the connection owner).
 */
public final class SqliteBlockStore implements BlockStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Connection db;

    public SqliteBlockStore(Path dbFile) {
        this.db = SegmentSqlite.open(dbFile,
                "CREATE TABLE IF NOT EXISTS block_version (block TEXT NOT NULL, version INTEGER NOT NULL, "
                        + "body TEXT NOT NULL, PRIMARY KEY (block, version))");
    }

    @Override
    public synchronized EmailTemplate.Block save(EmailTemplate.Block draft) {
        int next = versions(draft.key()).stream().mapToInt(EmailTemplate.Block::version).max().orElse(0) + 1;
        EmailTemplate.Block saved = new EmailTemplate.Block(draft.key(), next, draft.inputs(), draft.variants(),
                draft.body(), draft.fallback());
        try (PreparedStatement s = db.prepareStatement("INSERT INTO block_version VALUES (?, ?, ?)")) {
            s.setString(1, saved.key());
            s.setInt(2, next);
            s.setString(3, JSON.writeValueAsString(TemplateJson.blockToMap(saved)));
            s.executeUpdate();
        } catch (SQLException e) {
            throw SegmentSqlite.failure("save block", e);
        }
        return saved;
    }

    @Override
    public synchronized Optional<EmailTemplate.Block> latest(String key) {
        List<EmailTemplate.Block> all = versions(key);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    @Override
    public synchronized Optional<EmailTemplate.Block> version(String key, int version) {
        return versions(key).stream().filter(b -> b.version() == version).findFirst();
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized List<EmailTemplate.Block> versions(String key) {
        try (PreparedStatement s = db.prepareStatement("SELECT body FROM block_version WHERE block = ? ORDER BY version")) {
            s.setString(1, key);
            List<EmailTemplate.Block> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(TemplateJson.blockFromMap(JSON.readValue(rs.getString(1), Map.class)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read blocks", e);
        }
    }

    @Override
    public synchronized List<String> keys() {
        try (PreparedStatement s = db.prepareStatement("SELECT DISTINCT block FROM block_version ORDER BY block");
             ResultSet rs = s.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read block keys", e);
        }
    }
}
