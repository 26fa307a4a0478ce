package io.tessera.content.lint;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The caniemail support tables (hteumeuleu/caniemail {@code _features/*.md}), parsed from the
 * files' text (the caller reads them; the core does no I/O). For each feature we keep the most
 * recent test result per client and platform — {@code y}, {@code n}, {@code a} (partial, with
 * note numbers) or {@code u}. Immutable.
 */
public final class CanIEmail {

    /** One feature's latest support per "client/platform". */
    public record Feature(String slug, String title, Map<String, String> latest) {
        public Feature {
            latest = Map.copyOf(latest);
        }
    }

    private final Map<String, Feature> features;

    private CanIEmail(Map<String, Feature> features) {
        this.features = Map.copyOf(features);
    }

    /** @param files file name (e.g. {@code css-display-flex.md}) → content */
    public static CanIEmail parse(Map<String, String> files) {
        Map<String, Feature> out = new LinkedHashMap<>();
        files.forEach((name, text) -> {
            if (name.startsWith("_") || !name.endsWith(".md")) {
                return;
            }
            String slug = name.substring(0, name.length() - 3);
            String title = frontMatterValue(text, "title").orElse(slug);
            int s = text.indexOf("stats:");
            if (s < 0) {
                return;
            }
            int open = text.indexOf('{', s);
            Map<String, String> latest = new LinkedHashMap<>();
            if (open >= 0) {
                new StatsParser(text, open).parseClients(latest);
            }
            out.put(slug, new Feature(slug, title, latest));
        });
        return new CanIEmail(out);
    }

    /**
     * The tables in the compact form bundled in the jar: one line per feature,
     * {@code slug TAB title TAB client/platform=support;…}, features and clients sorted. Only what
     * the lint reads (the latest result per client and platform) is kept.
     */
    public String toCompact() {
        StringBuilder out = new StringBuilder(64 * 1024);
        features.values().stream().sorted(java.util.Comparator.comparing(Feature::slug)).forEach(f -> {
            out.append(f.slug()).append('\t').append(f.title().replace('\t', ' ')).append('\t');
            String sep = "";
            for (String client : new java.util.TreeSet<>(f.latest().keySet())) {
                out.append(sep).append(client).append('=').append(f.latest().get(client));
                sep = ";";
            }
            out.append('\n');
        });
        return out.toString();
    }

    /** Reads the form {@link #toCompact} writes. */
    public static CanIEmail fromCompact(String compact) {
        Map<String, Feature> out = new LinkedHashMap<>();
        for (String line : compact.split("\n")) {
            String[] cols = line.split("\t", -1);
            if (cols.length < 3) {
                continue;
            }
            Map<String, String> latest = new LinkedHashMap<>();
            for (String cell : cols[2].split(";")) {
                int eq = cell.indexOf('=');
                if (eq > 0) {
                    latest.put(cell.substring(0, eq), cell.substring(eq + 1));
                }
            }
            out.put(cols[0], new Feature(cols[0], cols[1], latest));
        }
        return new CanIEmail(out);
    }

    public java.util.Optional<Feature> feature(String slug) {
        return java.util.Optional.ofNullable(features.get(slug));
    }

    public java.util.Collection<Feature> features() {
        return features.values();
    }

    private static java.util.Optional<String> frontMatterValue(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + ":")) {
                return java.util.Optional.of(line.substring(key.length() + 1).trim().replaceAll("^\"|\"$", ""));
            }
        }
        return java.util.Optional.empty();
    }

    /** A small reader for the stats block: JSON-like with unquoted keys and trailing commas. */
    private static final class StatsParser {
        private final String s;
        private int i;

        StatsParser(String s, int open) {
            this.s = s;
            this.i = open;
        }

        void parseClients(Map<String, String> latest) {
            expect('{');
            while (true) {
                skip();
                if (peek() == '}') {
                    i++;
                    return;
                }
                String client = key();
                expect(':');
                expect('{');
                while (true) {
                    skip();
                    if (peek() == '}') {
                        i++;
                        break;
                    }
                    String platform = key();
                    expect(':');
                    expect('{');
                    String last = null;
                    while (true) {
                        skip();
                        if (peek() == '}') {
                            i++;
                            break;
                        }
                        key();
                        expect(':');
                        skip();
                        last = key();
                        comma();
                    }
                    if (last != null) {
                        latest.put(client + "/" + platform, last);
                    }
                    comma();
                }
                comma();
            }
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '}';
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private void comma() {
            skip();
            if (peek() == ',') {
                i++;
            }
        }

        private void expect(char c) {
            skip();
            if (peek() == c) {
                i++;
            }
        }

        private String key() {
            skip();
            if (peek() == '"' || peek() == '\'') {
                char q = s.charAt(i++);
                int start = i;
                while (i < s.length() && s.charAt(i) != q) {
                    i++;
                }
                String k = s.substring(start, i);
                i++;
                return k;
            }
            int start = i;
            while (i < s.length() && ":,{}".indexOf(s.charAt(i)) < 0 && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }
    }

}
