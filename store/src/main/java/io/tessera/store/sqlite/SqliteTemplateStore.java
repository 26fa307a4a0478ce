package io.tessera.store.sqlite;

import io.tessera.content.EmailTemplate;
import io.tessera.content.TemplateStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        EmailTemplate saved = new EmailTemplate(draft.key(), next, draft.subject(), draft.preheader(), draft.format(),
                draft.layout(), draft.blocks());
        try (PreparedStatement s = db.prepareStatement("INSERT INTO template_version VALUES (?, ?, ?)")) {
            s.setString(1, saved.key());
            s.setInt(2, next);
            s.setString(3, JSON.writeValueAsString(toMap(saved)));
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
                    out.add(fromMap(JSON.readValue(rs.getString(1), Map.class)));
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

    static Map<String, Object> toMap(EmailTemplate t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", t.key());
        m.put("version", t.version());
        m.put("subject", t.subject());
        m.put("preheader", t.preheader());
        m.put("format", t.format().name());
        m.put("layout", t.layout());
        List<Object> blocks = new ArrayList<>();
        for (EmailTemplate.Block b : t.blocks()) {
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("key", b.key());
            bm.put("version", b.version());
            List<Object> inputs = new ArrayList<>();
            for (EmailTemplate.Input in : b.inputs()) {
                Map<String, Object> im = new LinkedHashMap<>();
                im.put("name", in.name());
                im.put("path", in.path());
                in.defaultValue().ifPresent(d -> im.put("default", d));
                inputs.add(im);
            }
            bm.put("inputs", inputs);
            List<Object> variants = new ArrayList<>();
            for (EmailTemplate.Variant v : b.variants()) {
                variants.add(Map.of("name", v.name(), "condition", v.condition(), "body", v.body()));
            }
            bm.put("variants", variants);
            bm.put("body", b.body());
            bm.put("fallback", b.fallback());
            blocks.add(bm);
        }
        m.put("blocks", blocks);
        return m;
    }

    @SuppressWarnings("unchecked")
    static EmailTemplate fromMap(Map<String, Object> m) {
        List<EmailTemplate.Block> blocks = new ArrayList<>();
        for (Object o : (List<Object>) m.getOrDefault("blocks", List.of())) {
            Map<String, Object> b = (Map<String, Object>) o;
            List<EmailTemplate.Input> inputs = new ArrayList<>();
            for (Object io : (List<Object>) b.getOrDefault("inputs", List.of())) {
                Map<String, Object> im = (Map<String, Object>) io;
                inputs.add(new EmailTemplate.Input(str(im, "name"), str(im, "path"), Optional.ofNullable(im.get("default"))));
            }
            List<EmailTemplate.Variant> variants = new ArrayList<>();
            for (Object vo : (List<Object>) b.getOrDefault("variants", List.of())) {
                Map<String, Object> vm = (Map<String, Object>) vo;
                variants.add(new EmailTemplate.Variant(str(vm, "name"), str(vm, "condition"), str(vm, "body")));
            }
            blocks.add(new EmailTemplate.Block(str(b, "key"), ((Number) b.getOrDefault("version", 1)).intValue(), inputs,
                    variants, str(b, "body"), str(b, "fallback")));
        }
        return new EmailTemplate(str(m, "key"), ((Number) m.getOrDefault("version", 1)).intValue(), str(m, "subject"),
                str(m, "preheader"), EmailTemplate.Format.valueOf(str(m, "format")), str(m, "layout"), blocks);
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? "" : v.toString();
    }
}
