package io.tessera.server.opentime;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a resolved feed as JSON (Jackson) or as XML ({@code <feed>} with one element per field;
 * lists become {@code <item>} elements). Field and attribute names are declaration-checked
 * identifiers, so they are valid XML names; text is escaped. Stateless, thread-safe.
 */
public final class FeedWriter {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FeedWriter() {}

    public static byte[] json(Object value) {
        return JSON.writeValueAsBytes(value);
    }

    static String xml(Map<String, Object> feed) {
        StringBuilder out = new StringBuilder(512).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed>");
        feed.forEach((k, v) -> element(out, k, v));
        return out.append("</feed>\n").toString();
    }

    private static void element(StringBuilder out, String name, Object v) {
        out.append('<').append(name).append('>');
        switch (v) {
            case Map<?, ?> m -> m.forEach((k, x) -> element(out, String.valueOf(k), x));
            case List<?> l -> l.forEach(x -> element(out, "item", x));
            case BigDecimal d -> out.append(d.toPlainString());
            default -> escape(out, String.valueOf(v));
        }
        out.append("</").append(name).append('>');
    }

    private static void escape(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        out.append(c);
                    }
                }
            }
        }
    }
}
