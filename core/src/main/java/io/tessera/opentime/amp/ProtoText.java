package io.tessera.opentime.amp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A minimal reader for protocol-buffer text format (the AMP validator's {@code .protoascii} rule
 * file): fields {@code name: value} and messages {@code name { … }} / {@code name: { … }},
 * string literals (adjacent ones concatenated), bare scalars, {@code #} comments. Enough for
 * rule files; no escapes beyond {@code \"} and {@code \\}.
 */
record ProtoText(List<Map.Entry<String, Object>> fields) {

    List<String> strings(String name) {
        return fields.stream().filter(e -> e.getKey().equals(name) && e.getValue() instanceof String)
                .map(e -> (String) e.getValue()).toList();
    }

    String string(String name) {
        List<String> s = strings(name);
        return s.isEmpty() ? "" : s.get(0);
    }

    List<ProtoText> messages(String name) {
        return fields.stream().filter(e -> e.getKey().equals(name) && e.getValue() instanceof ProtoText)
                .map(e -> (ProtoText) e.getValue()).toList();
    }

    static ProtoText parse(String text) {
        int[] pos = {0};
        return message(text, pos);
    }

    private static ProtoText message(String s, int[] p) {
        List<Map.Entry<String, Object>> out = new ArrayList<>();
        while (true) {
            skip(s, p);
            if (p[0] >= s.length() || s.charAt(p[0]) == '}') {
                p[0]++;
                return new ProtoText(out);
            }
            int start = p[0];
            while (p[0] < s.length() && (Character.isLetterOrDigit(s.charAt(p[0])) || s.charAt(p[0]) == '_')) {
                p[0]++;
            }
            String name = s.substring(start, p[0]);
            skip(s, p);
            if (s.charAt(p[0]) == ':') {
                p[0]++;
                skip(s, p);
            }
            if (s.charAt(p[0]) == '{') {
                p[0]++;
                out.add(Map.entry(name, message(s, p)));
            } else if (s.charAt(p[0]) == '"') {
                StringBuilder sb = new StringBuilder();
                while (p[0] < s.length() && s.charAt(p[0]) == '"') {
                    p[0]++;
                    while (s.charAt(p[0]) != '"') {
                        char c = s.charAt(p[0]++);
                        if (c == '\\') {
                            c = s.charAt(p[0]++);
                        }
                        sb.append(c);
                    }
                    p[0]++;
                    skip(s, p);
                }
                out.add(Map.entry(name, sb.toString()));
            } else {
                int v = p[0];
                while (p[0] < s.length() && !Character.isWhitespace(s.charAt(p[0])) && s.charAt(p[0]) != '}') {
                    p[0]++;
                }
                out.add(Map.entry(name, s.substring(v, p[0])));
            }
        }
    }

    private static void skip(String s, int[] p) {
        while (p[0] < s.length()) {
            char c = s.charAt(p[0]);
            if (c == '#') {
                while (p[0] < s.length() && s.charAt(p[0]) != '\n') {
                    p[0]++;
                }
            } else if (Character.isWhitespace(c)) {
                p[0]++;
            } else {
                return;
            }
        }
    }
}
