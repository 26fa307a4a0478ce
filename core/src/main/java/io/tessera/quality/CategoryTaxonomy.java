package io.tessera.quality;

import java.io.Reader;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The master category dictionary: many raw labels ("Mens Shoes", "shoes-men", "Men > Footwear")
 * map to one canonical category. Loaded from a CSV the user maintains with columns
 * {@code raw_label,canonical} (header required). Labels match after lower-casing and collapsing
 * punctuation and spaces, so "Shoes - Men" and "shoes men" are one label; a canonical name also
 * maps to itself. Unmapped labels are kept and reported as a warning. Immutable.
 */
public final class CategoryTaxonomy {
    private final Map<String, String> canonicalOf;

    private CategoryTaxonomy(Map<String, String> canonicalOf) {
        this.canonicalOf = Map.copyOf(canonicalOf);
    }

    public static CategoryTaxonomy empty() {
        return new CategoryTaxonomy(Map.of());
    }

    /** A taxonomy, or every bad row with its line number (nothing is loaded when any row is bad). */
    public record Loaded(Optional<CategoryTaxonomy> taxonomy, List<String> problems) {
        public Loaded {
            problems = List.copyOf(problems);
        }
    }

    public static Loaded fromCsv(Reader csv) {
        List<CsvRecords.Row> rows = CsvRecords.read(csv);
        if (rows.isEmpty()) {
            return new Loaded(Optional.empty(), List.of("line 1: the file is empty; expected the header raw_label,canonical"));
        }
        List<String> header = rows.getFirst().cells().stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
        if (!header.equals(List.of("raw_label", "canonical"))) {
            return new Loaded(Optional.empty(), List.of("line " + rows.getFirst().line() + ": expected the header raw_label,canonical, got " + header));
        }
        Map<String, String> map = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (CsvRecords.Row row : rows.subList(1, rows.size())) {
            List<String> c = row.cells();
            if (c.size() != 2 || c.get(0).isBlank() || c.get(1).isBlank()) {
                problems.add("line " + row.line() + ": expected two non-empty cells raw_label,canonical, got " + c);
                continue;
            }
            String canonical = c.get(1).strip();
            for (String label : List.of(c.get(0), canonical)) {
                String key = key(label);
                String before = map.putIfAbsent(key, canonical);
                if (before != null && !before.equals(canonical)) {
                    problems.add("line " + row.line() + ": '" + label.strip() + "' maps to '" + canonical
                            + "' but line " + lineOf.get(key) + " maps it to '" + before + "'");
                }
                lineOf.putIfAbsent(key, row.line());
            }
        }
        return problems.isEmpty() ? new Loaded(Optional.of(new CategoryTaxonomy(map)), List.of()) : new Loaded(Optional.empty(), problems);
    }

    static String key(String label) {
        return Normalizer.normalize(label, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    public Optional<String> canonical(String raw) {
        return Optional.ofNullable(canonicalOf.get(key(raw)));
    }

    public int size() {
        return canonicalOf.size();
    }

    public FieldOutcome check(Object raw) {
        String label = String.valueOf(raw);
        return canonical(label).<FieldOutcome>map(FieldOutcome.Valid::of)
                .orElseGet(() -> new FieldOutcome.Valid(label, List.of(new FieldOutcome.Warning("unmapped_category",
                        "category '" + label + "' is not in the taxonomy"))));
    }
}
