package io.tessera.content.liquid.compiled;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Shopify's string filters, ported from the reference implementation's behaviour. */
final class StringFilters {

    private static final Pattern HTML_DROP = Pattern.compile("(?s)<script.*?</script>|<!--.*?-->|<style.*?</style>");
    private static final Pattern HTML_TAG = Pattern.compile("(?s)<.*?>");
    private static final Pattern ENTITY = Pattern.compile("&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#x[0-9a-fA-F]+);");

    private StringFilters() {}

    static String s(Object v) {
        return Values.str(v);
    }

    static void register(FilterSet.Builder b) {
        b.add("append", 1, 1, (in, a, kw, ctx) -> s(in) + s(a[0]));
        b.add("prepend", 1, 1, (in, a, kw, ctx) -> s(a[0]) + s(in));
        b.add("downcase", 0, 0, (in, a, kw, ctx) -> s(in).toLowerCase(Locale.ROOT));
        b.add("upcase", 0, 0, (in, a, kw, ctx) -> s(in).toUpperCase(Locale.ROOT));
        b.add("capitalize", 0, 0, (in, a, kw, ctx) -> {
            String x = s(in);
            return x.isEmpty() ? x : x.substring(0, 1).toUpperCase(Locale.ROOT) + x.substring(1).toLowerCase(Locale.ROOT);
        });
        b.add("strip", 0, 0, (in, a, kw, ctx) -> s(in).strip());
        b.add("lstrip", 0, 0, (in, a, kw, ctx) -> s(in).stripLeading());
        b.add("rstrip", 0, 0, (in, a, kw, ctx) -> s(in).stripTrailing());
        b.add("strip_newlines", 0, 0, (in, a, kw, ctx) -> s(in).replaceAll("\r?\n", ""));
        b.add("newline_to_br", 0, 0, (in, a, kw, ctx) -> s(in).replaceAll("\r?\n", "<br />\n"));
        b.add("strip_html", 0, 0, (in, a, kw, ctx) -> HTML_TAG.matcher(HTML_DROP.matcher(s(in)).replaceAll("")).replaceAll(""));
        b.add("escape", 0, 0, (in, a, kw, ctx) -> in == null ? null : escape(s(in)));
        b.add("h", 0, 0, (in, a, kw, ctx) -> in == null ? null : escape(s(in)));
        b.add("escape_once", 0, 0, (in, a, kw, ctx) -> in == null ? null : escapeOnce(s(in)));
        b.add("url_encode", 0, 0, (in, a, kw, ctx) -> in == null ? null : urlEncode(s(in)));
        b.add("url_decode", 0, 0, (in, a, kw, ctx) -> in == null ? null : URLDecoder.decode(s(in), StandardCharsets.UTF_8));
        b.add("base64_encode", 0, 0, (in, a, kw, ctx) -> Base64.getEncoder().encodeToString(s(in).getBytes(StandardCharsets.UTF_8)));
        b.add("base64_decode", 0, 0, (in, a, kw, ctx) -> decode(Base64.getDecoder(), s(in)));
        b.add("base64_url_safe_encode", 0, 0, (in, a, kw, ctx) -> Base64.getUrlEncoder().encodeToString(s(in).getBytes(StandardCharsets.UTF_8)));
        b.add("base64_url_safe_decode", 0, 0, (in, a, kw, ctx) -> decode(Base64.getUrlDecoder(), s(in)));
        b.add("remove", 1, 1, (in, a, kw, ctx) -> s(in).replace(s(a[0]), ""));
        b.add("remove_first", 1, 1, (in, a, kw, ctx) -> replaceFirst(s(in), s(a[0]), ""));
        b.add("remove_last", 1, 1, (in, a, kw, ctx) -> replaceLast(s(in), s(a[0]), ""));
        b.add("replace", 1, 2, (in, a, kw, ctx) -> s(in).replace(s(a[0]), a.length > 1 ? s(a[1]) : ""));
        b.add("replace_first", 1, 2, (in, a, kw, ctx) -> replaceFirst(s(in), s(a[0]), a.length > 1 ? s(a[1]) : ""));
        b.add("replace_last", 2, 2, (in, a, kw, ctx) -> replaceLast(s(in), s(a[0]), s(a[1])));
        b.add("split", 1, 1, (in, a, kw, ctx) -> split(s(in), s(a[0])));
        b.add("truncate", 0, 2, (in, a, kw, ctx) -> truncate(in, a));
        b.add("truncatewords", 0, 2, (in, a, kw, ctx) -> truncateWords(in, a));
        b.add("slice", 1, 2, (in, a, kw, ctx) -> slice(in, a));
        b.add("date", 1, 1, (in, a, kw, ctx) -> Strftime.dateFilter(in, a[0], ctx));
    }

    static String escape(String x) {
        StringBuilder out = new StringBuilder(x.length() + 16);
        for (int i = 0; i < x.length(); i++) {
            char c = x.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String escapeOnce(String x) {
        StringBuilder out = new StringBuilder(x.length() + 16);
        var m = ENTITY.matcher(x);
        int at = 0;
        while (m.find()) {
            out.append(escape(x.substring(at, m.start()))).append(m.group());
            at = m.end();
        }
        return out.append(escape(x.substring(at))).toString();
    }

    private static String urlEncode(String x) {
        StringBuilder out = new StringBuilder(x.length() + 8);
        for (byte by : x.getBytes(StandardCharsets.UTF_8)) {
            int c = by & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String decode(Base64.Decoder d, String x) {
        try {
            return new String(d.decode(x), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw LiquidError.render("invalid base64 provided to base64_decode");
        }
    }

    private static String replaceFirst(String x, String from, String to) {
        int at = x.indexOf(from);
        return at < 0 ? x : x.substring(0, at) + to + x.substring(at + from.length());
    }

    private static String replaceLast(String x, String from, String to) {
        int at = x.lastIndexOf(from);
        return at < 0 ? x : x.substring(0, at) + to + x.substring(at + from.length());
    }

    /** Ruby's String#split: a single space splits on whitespace runs; trailing empty strings dropped. */
    static List<Object> split(String x, String sep) {
        List<Object> out = new ArrayList<>();
        if (sep.equals(" ")) {
            for (String p : x.strip().split("\\s+")) {
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
            return out;
        }
        if (sep.isEmpty()) {
            x.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }
        int at = 0;
        int k;
        while ((k = x.indexOf(sep, at)) >= 0) {
            out.add(x.substring(at, k));
            at = k + sep.length();
        }
        out.add(x.substring(at));
        while (!out.isEmpty() && ((String) out.get(out.size() - 1)).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static Object truncate(Object in, Object[] a) {
        if (in == null) {
            return null;
        }
        String x = s(in);
        int length = a.length > 0 ? LoopNodes.toInteger(strictInt(a[0]), 0) : 50;
        String end = a.length > 1 ? s(a[1]) : "...";
        int keep = Math.max(0, length - end.length());
        return x.length() > length ? x.substring(0, Math.min(keep, x.length())) + end : x;
    }

    private static Object truncateWords(Object in, Object[] a) {
        if (in == null) {
            return null;
        }
        String x = s(in);
        int words = a.length > 0 ? LoopNodes.toInteger(strictInt(a[0]), 0) : 15;
        if (words <= 0) {
            words = 1;
        }
        String end = a.length > 1 ? s(a[1]) : "...";
        String[] parts = x.stripLeading().split("\\s+", words + 1);
        if (parts.length <= words) {
            return x;
        }
        return String.join(" ", java.util.Arrays.copyOf(parts, words)) + end;
    }

    private static Object strictInt(Object v) {
        if (v == null) {
            throw LiquidError.render("invalid integer: nil");
        }
        return v;
    }

    private static Object slice(Object in, Object[] a) {
        Object startArg = a[0];
        Object lenArg = a.length > 1 ? a[1] : 1L;
        if (startArg instanceof Double || lenArg instanceof Double) {
            throw LiquidError.render("slice: invalid integer");
        }
        long start = LoopNodes.toInteger(strictInt(startArg), 0);
        long len = lenArg == null ? 1 : LoopNodes.toInteger(lenArg, 1);
        if (Values.isList(in)) {
            List<Object> l = Values.list(in);
            int[] r = bounds(l.size(), start, len);
            return r == null ? List.of() : new ArrayList<>(l.subList(r[0], r[1]));
        }
        String x = s(in);
        int[] r = bounds(x.length(), start, len);
        return r == null ? "" : x.substring(r[0], r[1]);
    }

    private static int[] bounds(int size, long start, long len) {
        long from = start < 0 ? size + start : start;
        if (from < 0 || from > size || len < 0) {
            return null;
        }
        return new int[] {(int) from, (int) Math.min(size, from + len)};
    }
}
