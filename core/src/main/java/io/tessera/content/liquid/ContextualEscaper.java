package io.tessera.content.liquid;

import java.util.Locale;
import java.util.Set;

/**
 * Rewrites Liquid source so that every output is escaped for the place it lands in — done once,
 * when a template version is parsed, so rendering pays only for the escaping itself.
 *
 * <p>Implementation notes: a single left-to-right scan tracks the HTML state around the Liquid
 * (text, inside a tag, attribute name/value with its quote, comment, {@code <style>} /
 * {@code <script>} raw text). Liquid tags do not change that state; their bodies are copied as they
 * are. At each {@code {{ … }}} (and {@code {% echo … %}}, turned into an output) the scan appends
 * the escaper of the current context as the last filter:
 * <ul>
 *   <li>text, comment, quoted non-URL attribute → {@code escape_html_auto}</li>
 *   <li>a URL attribute ({@code href}, {@code src} …) whose value so far is empty → {@code escape_href_auto}
 *       (scheme allow-list), later in the value → {@code escape_url_part_auto} (percent-encoding)</li>
 *   <li>{@code style} attribute or element → {@code escape_css_auto}</li>
 *   <li>plain-text templates (subject, preheader) → {@code escape_text_auto}</li>
 * </ul>
 * An output whose last filter is {@code safe} is left alone. Places no escaper can make safe —
 * inside a tag outside any attribute value, an unquoted attribute value, an {@code on*} handler,
 * {@code <script>} — refuse the template with the reason.
 */
final class ContextualEscaper {

    enum Start { HTML, TEXT }

    sealed interface Result {}

    record Instrumented(String source) implements Result {}

    record Refused(String reason) implements Result {}

    private enum Html { TEXT, TAG, ATTR_VALUE, UNQUOTED_VALUE, COMMENT, RAW_STYLE, RAW_SCRIPT, DECLARATION }

    private static final Set<String> URL_ATTRIBUTES = Set.of("href", "src", "action", "background", "poster",
            "cite", "formaction", "xlink:href", "longdesc", "usemap", "data");

    private final String in;
    private final StringBuilder out;
    private final boolean text;
    private int i;
    private Html state = Html.TEXT;
    private char quote;
    private String tagName = "";
    private String attrName = "";
    private boolean valueHasContent;

    private ContextualEscaper(String in, Start start) {
        this.in = in;
        this.out = new StringBuilder(in.length() + in.length() / 8);
        this.text = start == Start.TEXT;
    }

    static Result instrument(String source, Start start) {
        ContextualEscaper e = new ContextualEscaper(source, start);
        String refused = e.run();
        return refused == null ? new Instrumented(e.out.toString()) : new Refused(refused);
    }

    private String run() {
        while (i < in.length()) {
            if (in.startsWith("{{", i)) {
                String r = output();
                if (r != null) {
                    return r;
                }
            } else if (in.startsWith("{%", i)) {
                String r = liquidTag();
                if (r != null) {
                    return r;
                }
            } else {
                char c = in.charAt(i);
                out.append(c);
                i++;
                if (!text) {
                    html(c);
                }
            }
        }
        return null;
    }

    /** Copies one Liquid tag; raw/comment bodies are copied whole, echo becomes an output. */
    private String liquidTag() {
        int end = tagEnd(i + 2, "%}");
        if (end < 0) {
            out.append(in, i, in.length());
            i = in.length();
            return null; // liqp reports the syntax error
        }
        String inner = in.substring(i + 2, end);
        String body = inner.replaceFirst("^-", "").replaceFirst("-$", "").trim();
        String name = body.split("\\s+", 2)[0];
        if (name.equals("echo")) {
            String expr = body.substring(4).trim();
            boolean trimLeft = inner.startsWith("-");
            boolean trimRight = inner.endsWith("-");
            i = end + 2;
            return emitOutput(expr, trimLeft, trimRight);
        }
        if (name.equals("liquid")) {
            return "the {% liquid %} tag is not supported in email templates";
        }
        out.append(in, i, end + 2);
        i = end + 2;
        if (name.equals("raw") || name.equals("comment")) {
            String closer = "end" + name;
            int close = findTag(i, closer);
            int stop = close < 0 ? in.length() : close;
            for (int k = i; k < stop; k++) {
                char c = in.charAt(k);
                out.append(c);
                if (!text && name.equals("raw")) {
                    html(c);
                }
            }
            i = stop;
        }
        return null;
    }

    private int findTag(int from, String name) {
        int k = from;
        while ((k = in.indexOf("{%", k)) >= 0) {
            int end = tagEnd(k + 2, "%}");
            if (end < 0) {
                return -1;
            }
            String body = in.substring(k + 2, end).replaceFirst("^-", "").replaceFirst("-$", "").trim();
            if (body.equals(name)) {
                return k;
            }
            k = end + 2;
        }
        return -1;
    }

    private String output() {
        int end = tagEnd(i + 2, "}}");
        if (end < 0) {
            out.append(in, i, in.length());
            i = in.length();
            return null;
        }
        String inner = in.substring(i + 2, end);
        boolean trimLeft = inner.startsWith("-");
        boolean trimRight = inner.endsWith("-") && inner.length() > 1;
        String expr = inner.substring(trimLeft ? 1 : 0, inner.length() - (trimRight ? 1 : 0)).trim();
        i = end + 2;
        return emitOutput(expr, trimLeft, trimRight);
    }

    private String emitOutput(String expr, boolean trimLeft, boolean trimRight) {
        String escaper;
        if (LiquidSyntax.lastFilter(expr).equals("safe")) {
            escaper = null;
        } else {
            String chosen = escaperHere();
            if (chosen.startsWith("!")) {
                return chosen.substring(1) + " (near: {{ " + expr + " }})";
            }
            escaper = chosen;
        }
        out.append(trimLeft ? "{{-" : "{{").append(' ').append(expr);
        if (escaper != null) {
            out.append(" | ").append(escaper);
        }
        out.append(' ').append(trimRight ? "-}}" : "}}");
        if (state == Html.ATTR_VALUE) {
            valueHasContent = true;
        }
        return null;
    }

    /** The escaper filter for the current position, or "!reason" if none can make it safe. */
    private String escaperHere() {
        if (text) {
            return "escape_text_auto";
        }
        return switch (state) {
            case TEXT, COMMENT, DECLARATION -> "escape_html_auto";
            case RAW_STYLE -> "escape_css_auto";
            case RAW_SCRIPT -> "!output inside <script> is not allowed in email";
            case TAG -> "!output inside <" + tagName + "> outside an attribute value";
            case UNQUOTED_VALUE -> "!output in the unquoted attribute " + attrName + "; quote the value";
            case ATTR_VALUE -> {
                if (attrName.startsWith("on")) {
                    yield "!output in the event handler attribute " + attrName;
                }
                if (attrName.equals("style")) {
                    yield "escape_css_auto";
                }
                if (URL_ATTRIBUTES.contains(attrName)) {
                    yield valueHasContent ? "escape_url_part_auto" : "escape_href_auto";
                }
                yield "escape_html_auto";
            }
        };
    }

    /** Index of the closing delimiter, skipping quoted strings; -1 if none. */
    private int tagEnd(int from, String close) {
        return LiquidSyntax.tagEnd(in, from, close);
    }

    /** Advances the HTML state by one template character (already copied to the output). */
    private void html(char c) {
        switch (state) {
            case TEXT -> {
                if (c == '<') {
                    int k = i;
                    if (in.startsWith("!--", k)) {
                        state = Html.COMMENT;
                    } else if (k < in.length() && (in.charAt(k) == '!' || in.charAt(k) == '?')) {
                        state = Html.DECLARATION;
                    } else if (k < in.length() && (Character.isLetter(in.charAt(k)) || in.charAt(k) == '/')) {
                        int s = in.charAt(k) == '/' ? k + 1 : k;
                        int e = s;
                        while (e < in.length() && (Character.isLetterOrDigit(in.charAt(e)) || in.charAt(e) == '-' || in.charAt(e) == ':')) {
                            e++;
                        }
                        tagName = (in.charAt(k) == '/' ? "/" : "") + in.substring(s, e).toLowerCase(Locale.ROOT);
                        state = Html.TAG;
                        attrName = "";
                    }
                }
            }
            case COMMENT -> {
                if (c == '>' && out.length() >= 3 && out.substring(out.length() - 3).equals("-->")) {
                    state = Html.TEXT;
                }
            }
            case DECLARATION -> {
                if (c == '>') {
                    state = Html.TEXT;
                }
            }
            case RAW_STYLE, RAW_SCRIPT -> {
                String closer = state == Html.RAW_STYLE ? "</style" : "</script";
                if (c == '<' && in.regionMatches(true, i - 1, closer, 0, closer.length())) {
                    state = Html.TAG;
                    tagName = closer.substring(1);
                }
            }
            case TAG -> {
                if (c == '>') {
                    state = tagName.equals("style") ? Html.RAW_STYLE : tagName.equals("script") ? Html.RAW_SCRIPT : Html.TEXT;
                } else if (c == '=') {
                    int k = i;
                    while (k < in.length() && in.charAt(k) == ' ') {
                        k++;
                    }
                    if (k < in.length() && (in.charAt(k) == '"' || in.charAt(k) == '\'')) {
                        quote = in.charAt(k);
                        out.append(in, i, k + 1);
                        i = k + 1;
                        state = Html.ATTR_VALUE;
                    } else {
                        state = Html.UNQUOTED_VALUE;
                    }
                    valueHasContent = false;
                } else if (Character.isLetter(c) || c == '-' || c == ':' || c == '_') {
                    int s = i - 1;
                    int e = i;
                    while (e < in.length() && (Character.isLetterOrDigit(in.charAt(e)) || in.charAt(e) == '-' || in.charAt(e) == ':' || in.charAt(e) == '_')) {
                        e++;
                    }
                    attrName = in.substring(s, e).toLowerCase(Locale.ROOT);
                    out.append(in, i, e);
                    i = e;
                }
            }
            case ATTR_VALUE -> {
                if (c == quote) {
                    state = Html.TAG;
                } else if (!Character.isWhitespace(c) && c != Escapes.LINK_START && c != Escapes.HREF_START) {
                    valueHasContent = true;
                }
            }
            case UNQUOTED_VALUE -> {
                if (Character.isWhitespace(c)) {
                    state = Html.TAG;
                } else if (c == '>') {
                    state = tagName.equals("style") ? Html.RAW_STYLE : tagName.equals("script") ? Html.RAW_SCRIPT : Html.TEXT;
                }
            }
        }
    }
}
