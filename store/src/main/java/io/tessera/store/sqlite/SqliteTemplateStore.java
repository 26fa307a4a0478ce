package io.tessera.store.sqlite;

import io.tessera.content.EmailTemplate;
import io.tessera.content.TemplateStore;
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
 * Template versions in SQLite: one row per (key, version) holding the whole version as JSON;
 * rows are only ever inserted. Thread-safe (synchronized on the connection owner).
 */
public final class SqliteTemplateStore implements TemplateStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Connection db;

    public SqliteTemplateStore(Path dbFile) {
        this.db = SegmentSqlite.open(dbFile,
                "CREATE TABLE IF NOT EXISTS template_version (template TEXT NOT NULL, version INTEGER NOT NULL, "
                        + "body TEXT NOT NULL, PRIMARY KEY (template, version))");
    }

    @Override
    public synchronized EmailTemplate save(EmailTemplate draft) {
        int next = versions(draft.key()).stream().mapToInt(EmailTemplate::version).max().orElse(0) + 1;
        EmailTemplate saved = draft.withVersion(next);
        try (PreparedStatement s = db.prepareStatement("INSERT INTO template_version VALUES (?, ?, ?)")) {
            s.setString(1, saved.key());
            s.setInt(2, next);
            s.setString(3, JSON.writeValueAsString(TemplateJson.toMap(saved)));
            s.executeUpdate();
        } catch (SQLException e) {
            throw SegmentSqlite.failure("save template", e);
        }
        return saved;
    }

    @Override
    public synchronized Optional<EmailTemplate> latest(String key) {
        List<EmailTemplate> all = versions(key);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    @Override
    public synchronized Optional<EmailTemplate> version(String key, int version) {
        return versions(key).stream().filter(t -> t.version() == version).findFirst();
    }

    @Override
    public synchronized List<EmailTemplate> versions(String key) {
        try (PreparedStatement s = db.prepareStatement("SELECT body FROM template_version WHERE template = ? ORDER BY version")) {
            s.setString(1, key);
            List<EmailTemplate> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(TemplateJson.fromMap(JSON.readValue(rs.getString(1), Map.class)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read templates", e);
        }
    }

    @Override
    public synchronized List<String> keys() {
        try (PreparedStatement s = db.prepareStatement("SELECT DISTINCT template FROM template_version ORDER BY template");
             ResultSet rs = s.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw SegmentSqlite.failure("read template keys", e);
        }
    }
}
