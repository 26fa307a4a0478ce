package io.tessera.quality.dedupe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.codec.language.Nysiis;
import org.apache.commons.codec.language.Soundex;

/**
 * A blocking key: records are only compared when they share the value of at least one key, so
 * deduplication never compares all pairs. A key is one or more (column, transform) parts; a record
 * with any part empty has no value for the key. Several keys on independent fields keep recall
 * high: a true pair is missed only when every key is corrupted.
 */
public record BlockingKey(List<Part> parts) {
    public BlockingKey {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a blocking key needs at least one part");
        }
    }

    /** How a value becomes part of a key. */
    public enum Transform {
        EXACT, SOUNDEX, NYSIIS, PREFIX3, YEAR;

        String apply(String normalized) {
            return switch (this) {
                case EXACT -> normalized;
                case SOUNDEX -> {
                    String letters = ComparedField.asciiLetters(normalized);
                    yield letters.isEmpty() ? "" : new Soundex().soundex(letters);
                }
                case NYSIIS -> {
                    String letters = ComparedField.asciiLetters(normalized);
                    yield letters.isEmpty() ? "" : new Nysiis(false).nysiis(letters);
                }
                case PREFIX3 -> normalized.length() <= 3 ? normalized : normalized.substring(0, 3);
                case YEAR -> normalized.length() >= 4 ? normalized.substring(0, 4) : "";
            };
        }
    }

    /** One column through one transform. */
    public record Part(String column, Transform transform) {}

    public static BlockingKey of(String column, Transform t) {
        return new BlockingKey(List.of(new Part(column, t)));
    }

    public static BlockingKey of(String c1, Transform t1, String c2, Transform t2) {
        return new BlockingKey(List.of(new Part(c1, t1), new Part(c2, t2)));
    }

    /**
     * The default keys for the columns present: each identifier, email, phone and date alone;
     * surname sound + postcode; given-name NYSIIS + surname sound; given-name sound + postcode;
     * surname sound + date.
     */
    public static List<BlockingKey> defaults(Map<String, FieldKind> kinds) {
        List<BlockingKey> keys = new ArrayList<>();
        List<String> given = columnsOf(kinds, FieldKind.GIVEN_NAME);
        List<String> surname = columnsOf(kinds, FieldKind.SURNAME);
        List<String> postcode = columnsOf(kinds, FieldKind.POSTCODE);
        List<String> dates = columnsOf(kinds, FieldKind.DATE);
        for (String c : kinds.keySet()) {
            FieldKind k = kinds.get(c);
            if (k == FieldKind.IDENTIFIER || k == FieldKind.EMAIL || k == FieldKind.PHONE || k == FieldKind.DATE) {
                keys.add(of(c, Transform.EXACT));
            }
        }
        for (String s : surname) {
            postcode.forEach(p -> keys.add(of(s, Transform.SOUNDEX, p, Transform.EXACT)));
            given.forEach(g -> keys.add(of(g, Transform.NYSIIS, s, Transform.SOUNDEX)));
            dates.forEach(d -> keys.add(of(s, Transform.SOUNDEX, d, Transform.YEAR)));
        }
        for (String g : given) {
            postcode.forEach(p -> keys.add(of(g, Transform.SOUNDEX, p, Transform.EXACT)));
        }
        if (keys.isEmpty()) {
            kinds.forEach((c, k) -> {
                if (k != FieldKind.IGNORE) {
                    keys.add(of(c, Transform.PREFIX3));
                }
            });
        }
        return List.copyOf(keys);
    }

    private static List<String> columnsOf(Map<String, FieldKind> kinds, FieldKind kind) {
        return kinds.entrySet().stream().filter(e -> e.getValue() == kind).map(Map.Entry::getKey).toList();
    }

    @Override
    public String toString() {
        return String.join("+", parts.stream().map(p -> p.transform().name().toLowerCase(Locale.ROOT) + "(" + p.column() + ")").toList());
    }
}
