package io.tessera.store.postgres;

import io.tessera.content.EmailTemplate;
import io.tessera.content.TemplateStore;
import io.tessera.store.TemplateJson;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.ObjectMapper;

/**
 * Template versions in PostgreSQL (migration {@code V5__templates.sql}), stored in the same JSON
 * form as the SQLite store ({@link TemplateJson}). A save numbers its version under an advisory
 * lock on the template key, so saves racing on any nodes get 1, 2, 3 … Thread-safe; does not own
 * the {@link PostgresDatabase}.
 */
public final class PostgresTemplateStore implements TemplateStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PostgresDatabase db;

    public PostgresTemplateStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public EmailTemplate save(EmailTemplate draft) {
        return db.write(c -> {
            PostgresDatabase.lock(c, "template", draft.key());
            int next;
            try (PreparedStatement s = c.prepareStatement("SELECT coalesce(max(version), 0) + 1 FROM template_version WHERE template = ?")) {
                s.setString(1, draft.key());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    next = rs.getInt(1);
                }
            }
            EmailTemplate saved = draft.withVersion(next);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO template_version(template, version, body) VALUES (?, ?, ?)")) {
                s.setString(1, saved.key());
                s.setInt(2, next);
                s.setString(3, JSON.writeValueAsString(TemplateJson.toMap(saved)));
                s.executeUpdate();
            }
            return saved;
        });
    }

    @Override
    public Optional<EmailTemplate> latest(String key) {
        return query("SELECT body FROM template_version WHERE template = ? ORDER BY version DESC LIMIT 1", key, -1).stream().findFirst();
    }

    @Override
    public Optional<EmailTemplate> version(String key, int version) {
        return query("SELECT body FROM template_version WHERE template = ? AND version = ?", key, version).stream().findFirst();
    }

    @Override
    public List<EmailTemplate> versions(String key) {
        return query("SELECT body FROM template_version WHERE template = ? ORDER BY version", key, -1);
    }

    @SuppressWarnings("unchecked")
    private List<EmailTemplate> query(String sql, String key, int version) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, key);
                if (version >= 0) {
                    s.setInt(2, version);
                }
                List<EmailTemplate> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(TemplateJson.fromMap(JSON.readValue(rs.getString(1), Map.class)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<String> keys() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT template FROM template_version ORDER BY template");
                    ResultSet rs = s.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }
}
