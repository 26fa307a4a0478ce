package io.tessera.quality.dedupe;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * One column prepared for comparison: every value normalized once (NFC, lower case, collapsed
 * spaces; digits only for dates and phones; letters and digits only for codes) and, for names,
 * its Double Metaphone key. {@link #level} maps a pair of records to an agreement level of the
 * column's {@link FieldKind}, or -1 when either value is missing (a missing value is no evidence).
 * Immutable after construction; {@link #level} is thread-safe.
 */
final class ComparedField {
    private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();
    private static final LevenshteinDistance WITHIN_TWO = new LevenshteinDistance(2);

    final String column;
    final FieldKind kind;
    final String[] values;
    private final String[] phonetic;

    ComparedField(RecordTable table, int column, FieldKind kind) {
        this.column = table.columns().get(column);
        this.kind = kind;
        this.values = new String[table.size()];
        for (int r = 0; r < values.length; r++) {
            values[r] = normalize(table.value(r, column), kind);
        }
        if (kind == FieldKind.GIVEN_NAME || kind == FieldKind.SURNAME) {
            DoubleMetaphone metaphone = new DoubleMetaphone();
            phonetic = new String[values.length];
            for (int r = 0; r < values.length; r++) {
                phonetic[r] = values[r].isEmpty() ? "" : metaphone.doubleMetaphone(asciiLetters(values[r]));
            }
        } else {
            phonetic = null;
        }
    }

    static String normalize(String raw, FieldKind kind) {
        String s = Normalizer.normalize(raw, Normalizer.Form.NFC).toLowerCase(Locale.ROOT).strip();
        return switch (kind) {
            case DATE, PHONE -> s.replaceAll("[^0-9]", "");
            case POSTCODE, CODE, IDENTIFIER -> s.replaceAll("[^\\p{L}\\p{N}]", "");
            default -> s.replaceAll("\\s+", " ");
        };
    }

    /** Letters a-z only, accents removed: what the phonetic encoders accept. */
    static String asciiLetters(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFD).toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    }

    int level(int a, int b) {
        String x = values[a];
        String y = values[b];
        if (x.isEmpty() || y.isEmpty()) {
            return -1;
        }
        boolean same = x.equals(y);
        return switch (kind) {
            case GIVEN_NAME, SURNAME -> {
                if (same) {
                    yield 3;
                }
                double jw = JARO_WINKLER.apply(x, y);
                yield jw >= 0.94 ? 2 : jw >= 0.85 || (!phonetic[a].isEmpty() && phonetic[a].equals(phonetic[b])) ? 1 : 0;
            }
            case TEXT -> {
                if (same) {
                    yield 3;
                }
                double jw = JARO_WINKLER.apply(x, y);
                double tokens = tokenJaccard(x, y);
                yield jw >= 0.94 || tokens == 1.0 ? 2 : jw >= 0.80 || tokens >= 0.5 ? 1 : 0;
            }
            case DATE -> {
                if (same) {
                    yield 3;
                }
                int d = WITHIN_TWO.apply(x, y);
                if (d == 1 || isTransposition(x, y)) {
                    yield 2;
                }
                yield d == 2 || isDayMonthSwap(x, y) ? 1 : 0;
            }
            case POSTCODE, CODE, IDENTIFIER -> same ? 2 : WITHIN_TWO.apply(x, y) == 1 || isTransposition(x, y) ? 1 : 0;
            case EMAIL -> same ? 2 : WITHIN_TWO.apply(x, y) >= 0 ? 1 : 0;
            case PHONE -> same ? 2 : (x.length() >= 8 && y.length() >= 8
                    && x.substring(x.length() - 8).equals(y.substring(y.length() - 8))) || WITHIN_TWO.apply(x, y) == 1 ? 1 : 0;
            case CATEGORY -> same ? 1 : 0;
            case IGNORE -> -1;
        };
    }

    /** Equal length, exactly two adjacent characters swapped. */
    static boolean isTransposition(String x, String y) {
        if (x.length() != y.length()) {
            return false;
        }
        int i = 0;
        while (i < x.length() && x.charAt(i) == y.charAt(i)) {
            i++;
        }
        return i + 1 < x.length() && x.charAt(i) == y.charAt(i + 1) && x.charAt(i + 1) == y.charAt(i)
                && x.regionMatches(i + 2, y, i + 2, x.length() - i - 2);
    }

    /** YYYYMMDD vs YYYYDDMM. */
    private static boolean isDayMonthSwap(String x, String y) {
        return x.length() == 8 && y.length() == 8 && x.regionMatches(0, y, 0, 4)
                && x.regionMatches(4, y, 6, 2) && x.regionMatches(6, y, 4, 2);
    }

    private static double tokenJaccard(String x, String y) {
        Set<String> a = new HashSet<>(Arrays.asList(x.split(" ")));
        Set<String> b = new HashSet<>(Arrays.asList(y.split(" ")));
        int union = a.size() + b.size();
        a.retainAll(b);
        return (double) a.size() / (union - a.size());
    }
}
