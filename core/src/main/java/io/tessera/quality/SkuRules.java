package io.tessera.quality;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How SKUs are normalized: case ({@code upper}, {@code lower} or {@code keep}), the one separator
 * that replaces runs of spaces, underscores, dots, slashes and dashes, and a prefix map applied
 * after that (longest prefix first, e.g. {@code "OLD-" → "NEW-"}). Immutable.
 */
public record SkuRules(Case letterCase, String separator, Map<String, String> prefixes) {
    public enum Case { UPPER, LOWER, KEEP }

    public SkuRules {
        prefixes = Map.copyOf(prefixes);
    }

    public static SkuRules defaults() {
        return new SkuRules(Case.UPPER, "-", Map.of());
    }

    public FieldOutcome check(Object raw) {
        String s = String.valueOf(raw).strip();
        if (s.isEmpty()) {
            return new FieldOutcome.Invalid("invalid_sku", "empty SKU");
        }
        s = switch (letterCase) {
            case UPPER -> s.toUpperCase(Locale.ROOT);
            case LOWER -> s.toLowerCase(Locale.ROOT);
            case KEEP -> s;
        };
        s = s.replaceAll("[\\s_./\\\\-]+", java.util.regex.Matcher.quoteReplacement(separator));
        Map<String, String> ordered = new LinkedHashMap<>();
        prefixes.entrySet().stream().sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed())
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, String> p : ordered.entrySet()) {
            if (s.startsWith(p.getKey())) {
                s = p.getValue() + s.substring(p.getKey().length());
                break;
            }
        }
        return FieldOutcome.Valid.of(s);
    }
}
