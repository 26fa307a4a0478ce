package io.tessera.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON form of {@link QualitySettings}, as the API takes it and the stores keep it:
 *
 * <pre>{@code
 * {"unplanned": "allow" | "block",
 *  "phoneRegion": "AU",
 *  "sku": {"case": "upper" | "lower" | "keep", "separator": "-", "prefixes": {"OLD-": "NEW-"}},
 *  "fields": [{"path": "traits.phone", "check": "phone", "onInvalid": "quarantine" | "warn" | "drop"}]}
 * }</pre>
 *
 * {@link #change} reads a partial document over a base (absent keys keep the base's value; a
 * given {@code fields} list replaces the whole list) and validates all of it: every problem is
 * reported with its JSON pointer and nothing is half-applied. Stateless; thread-safe.
 */
public final class QualitySettingsCodec {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> KEYS = Set.of("unplanned", "phoneRegion", "sku", "fields");
    private static final Set<String> SKU_KEYS = Set.of("case", "separator", "prefixes");
    private static final Set<String> FIELD_KEYS = Set.of("path", "check", "onInvalid");

    /** The outcome of reading a settings document: the new settings, or every problem found. */
    public sealed interface Change {
        record Valid(QualitySettings settings) implements Change {}

        record Invalid(List<String> problems) implements Change {
            public Invalid {
                problems = List.copyOf(problems);
            }
        }
    }

    public String encode(QualitySettings s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("unplanned", s.unplanned().wireName());
        out.put("phoneRegion", s.phoneRegion());
        Map<String, Object> sku = new LinkedHashMap<>();
        sku.put("case", s.sku().letterCase().name().toLowerCase(Locale.ROOT));
        sku.put("separator", s.sku().separator());
        sku.put("prefixes", new java.util.TreeMap<>(s.sku().prefixes()));
        out.put("sku", sku);
        out.put("fields", s.fields().stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.path());
            m.put("check", f.check().name().toLowerCase(Locale.ROOT));
            m.put("onInvalid", f.onInvalid().name().toLowerCase(Locale.ROOT));
            return m;
        }).toList());
        return JSON.writeValueAsString(out);
    }

    /** A stored document (written by {@link #encode}); a bug or a corrupt store if it does not read. */
    public QualitySettings decode(String json, QualitySettings base) {
        return switch (change(json, base)) {
            case Change.Valid v -> v.settings();
            case Change.Invalid i -> throw new IllegalStateException("stored quality settings do not read: " + i.problems());
        };
    }

    /** {@code base} changed by the (partial) document {@code json}, or every problem in it. */
    public Change change(String json, QualitySettings base) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            return new Change.Invalid(List.of("the body is not JSON: " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            return new Change.Invalid(List.of("expected a JSON object with any of " + new java.util.TreeSet<>(KEYS)));
        }
        List<String> problems = new ArrayList<>();
        unknownKeys(root, KEYS, "", problems);
        PlanMode unplanned = base.unplanned();
        if (root.has("unplanned")) {
            String text = root.get("unplanned").asString("");
            unplanned = PlanMode.fromWire(text).filter(m -> m != PlanMode.DROP_PROPERTIES).orElse(null);
            if (unplanned == null) {
                problems.add("/unplanned: must be allow or block, not '" + text + "'");
            }
        }
        String region = base.phoneRegion();
        if (root.has("phoneRegion")) {
            region = root.get("phoneRegion").asString("");
            try {
                new PhoneNumbers(region);
            } catch (IllegalArgumentException e) {
                problems.add("/phoneRegion: " + e.getMessage());
            }
        }
        SkuRules sku = root.has("sku") ? sku(root.get("sku"), base.sku(), problems) : base.sku();
        List<FieldRule> fields = root.has("fields") ? fields(root.get("fields"), problems) : base.fields();
        return problems.isEmpty()
                ? new Change.Valid(new QualitySettings(unplanned, region, sku, fields))
                : new Change.Invalid(problems);
    }

    private static SkuRules sku(JsonNode node, SkuRules base, List<String> problems) {
        if (!node.isObject()) {
            problems.add("/sku: expected an object with case, separator, prefixes");
            return base;
        }
        unknownKeys(node, SKU_KEYS, "/sku", problems);
        SkuRules.Case letterCase = base.letterCase();
        if (node.has("case")) {
            letterCase = enumValue(SkuRules.Case.class, node.get("case"), "/sku/case", problems);
        }
        String separator = base.separator();
        if (node.has("separator")) {
            separator = node.get("separator").asString("");
            if (!node.get("separator").isString() || separator.length() > 3 || separator.isBlank() && !separator.isEmpty()) {
                problems.add("/sku/separator: expected a string of at most 3 characters, e.g. \"-\"");
            }
        }
        Map<String, String> prefixes = base.prefixes();
        if (node.has("prefixes")) {
            JsonNode p = node.get("prefixes");
            prefixes = new LinkedHashMap<>();
            if (!p.isObject()) {
                problems.add("/sku/prefixes: expected an object {\"OLD-\": \"NEW-\"}");
            } else {
                for (Map.Entry<String, JsonNode> e : p.properties()) {
                    if (e.getKey().isEmpty() || !e.getValue().isString()) {
                        problems.add("/sku/prefixes/" + e.getKey() + ": expected a non-empty prefix mapped to a string");
                    } else {
                        prefixes.put(e.getKey(), e.getValue().asString());
                    }
                }
            }
        }
        return new SkuRules(letterCase == null ? base.letterCase() : letterCase, separator, prefixes);
    }

    private static List<FieldRule> fields(JsonNode node, List<String> problems) {
        if (!node.isArray()) {
            problems.add("/fields: expected an array of {path, check, onInvalid}");
            return List.of();
        }
        List<FieldRule> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode f = node.get(i);
            String at = "/fields/" + i;
            if (!f.isObject()) {
                problems.add(at + ": expected an object {path, check, onInvalid}");
                continue;
            }
            unknownKeys(f, FIELD_KEYS, at, problems);
            FieldRule.Check check = enumValue(FieldRule.Check.class, f.path("check"), at + "/check", problems);
            FieldRule.OnInvalid onInvalid = f.has("onInvalid")
                    ? enumValue(FieldRule.OnInvalid.class, f.get("onInvalid"), at + "/onInvalid", problems)
                    : FieldRule.OnInvalid.WARN;
            String path = f.path("path").asString("");
            try {
                if (check != null && onInvalid != null) {
                    out.add(new FieldRule(path, check, onInvalid));
                } else {
                    new FieldRule(path, FieldRule.Check.EMAIL, FieldRule.OnInvalid.WARN);
                }
            } catch (IllegalArgumentException e) {
                problems.add(at + "/path: " + e.getMessage());
            }
        }
        return out;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode node, String at, List<String> problems) {
        String text = node.asString("");
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text)) {
                return e;
            }
        }
        problems.add(at + ": must be one of " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList() + ", not '" + text + "'");
        return null;
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String at, List<String> problems) {
        for (String name : node.propertyNames()) {
            if (!known.contains(name)) {
                problems.add(at + "/" + name + ": unknown setting (known: " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }
}
