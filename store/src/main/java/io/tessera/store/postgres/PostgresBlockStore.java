package io.tessera.store.postgres;

import io.tessera.content.BlockStore;
import io.tessera.content.EmailTemplate;
import io.tessera.store.TemplateJson;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.ObjectMapper;

/**
 * The block library in PostgreSQL (migration {@code V31__webhooks_blocks.sql}): one row per (key,
 * version), only ever inserted. Two nodes saving a block at once are serialised by an advisory lock
 * on the key, so versions stay consecutive. Thread-safe; does not own the {@link PostgresDatabase}.
 */
public final class PostgresBlockStore implements BlockStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PostgresDatabase db;

    public PostgresBlockStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public EmailTemplate.Block save(EmailTemplate.Block draft) {
        return db.write(c -> {
            PostgresDatabase.lock(c, "block", draft.key());
            int next;
            try (PreparedStatement s = c.prepareStatement("SELECT coalesce(max(version), 0) + 1 FROM block_version WHERE block = ?")) {
                s.setString(1, draft.key());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    next = rs.getInt(1);
                }
            }
            EmailTemplate.Block saved = new EmailTemplate.Block(draft.key(), next, draft.inputs(), draft.variants(),
                    draft.body(), draft.fallback());
            try (PreparedStatement s = c.prepareStatement("INSERT INTO block_version(block, version, body) VALUES (?, ?, ?)")) {
                s.setString(1, saved.key());
                s.setInt(2, next);
                s.setString(3, JSON.writeValueAsString(TemplateJson.blockToMap(saved)));
                s.executeUpdate();
            }
            return saved;
        });
    }

    @Override
    public Optional<EmailTemplate.Block> latest(String key) {
        List<EmailTemplate.Block> all = versions(key);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    @Override
    public Optional<EmailTemplate.Block> version(String key, int version) {
        return versions(key).stream().filter(b -> b.version() == version).findFirst();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<EmailTemplate.Block> versions(String key) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT body FROM block_version WHERE block = ? ORDER BY version")) {
                s.setString(1, key);
                List<EmailTemplate.Block> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(TemplateJson.blockFromMap(JSON.readValue(rs.getString(1), Map.class)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<String> keys() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT block FROM block_version ORDER BY block");
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
