package io.tessera.store;

import io.tessera.content.EmailTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored JSON form of one {@link EmailTemplate} version (as maps for Jackson), shared by the
 * SQLite and PostgreSQL template stores so a version reads back equal from either.
 */
public final class TemplateJson {
    private TemplateJson() {}

    public static Map<String, Object> toMap(EmailTemplate t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", t.key());
        m.put("version", t.version());
        m.put("subject", t.subject());
        m.put("preheader", t.preheader());
        m.put("format", t.format().name());
        m.put("layout", t.layout());
        List<Object> blocks = new ArrayList<>();
        for (EmailTemplate.Block b : t.blocks()) {
            blocks.add(blockToMap(b));
        }
        m.put("blocks", blocks);
        t.amp().ifPresent(a -> {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("css", a.css());
            am.put("header", a.header());
            am.put("item", a.item());
            am.put("fallback", a.fallback());
            am.put("footer", a.footer());
            am.put("height", a.height());
            m.put("amp", am);
        });
        return m;
    }

    /** One block version's stored form (also the block library's). */
    public static Map<String, Object> blockToMap(EmailTemplate.Block b) {
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
        return bm;
    }

    @SuppressWarnings("unchecked")
    public static EmailTemplate fromMap(Map<String, Object> m) {
        List<EmailTemplate.Block> blocks = new ArrayList<>();
        for (Object o : (List<Object>) m.getOrDefault("blocks", List.of())) {
            blocks.add(blockFromMap((Map<String, Object>) o));
        }
        return new EmailTemplate(str(m, "key"), ((Number) m.getOrDefault("version", 1)).intValue(), str(m, "subject"),
                str(m, "preheader"), EmailTemplate.Format.valueOf(str(m, "format")), str(m, "layout"), blocks,
                m.get("amp") instanceof Map<?, ?> a ? Optional.of(new EmailTemplate.Amp(str((Map<String, Object>) a, "css"),
                        str((Map<String, Object>) a, "header"), str((Map<String, Object>) a, "item"),
                        str((Map<String, Object>) a, "fallback"), str((Map<String, Object>) a, "footer"),
                        ((Number) a.get("height")).intValue())) : Optional.empty());
    }

    /** Reads {@link #blockToMap}'s form. */
    @SuppressWarnings("unchecked")
    public static EmailTemplate.Block blockFromMap(Map<String, Object> b) {
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
        return new EmailTemplate.Block(str(b, "key"), ((Number) b.getOrDefault("version", 1)).intValue(), inputs,
                variants, str(b, "body"), str(b, "fallback"));
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? "" : v.toString();
    }
}
