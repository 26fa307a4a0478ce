package io.tessera.content.liquid;

import java.nio.charset.StandardCharsets;

/**
 * The escaping functions of the email dialect, one per output context. Each returns text that
 * cannot end its context early: no tag, attribute, URL scheme, CSS declaration or Liquid
 * delimiter can come out of profile or event data.
 */
public final class Escapes {

    /** Marks the start of a data-derived span in plain-text outputs (subject, preheader). */
    public static final char DATA_START = '\uE000';
    /** Marks the end of a data-derived span in plain-text outputs. */
    public static final char DATA_END = '\uE001';
    /**
     * Markers the email compiler puts into a version's HTML once (around each trackable link's
     * {@code href} value, where the open pixel and the hidden preheader go) so that a message is
     * finished by splicing, without parsing its HTML. Escapers drop them from data.
     */
    public static final char LINK_START = '\uE004';
    /** The end of a trackable link's {@code href} value. */
    public static final char LINK_END = '\uE005';
    /** Where the open pixel goes (before {@code </body>}). */
    public static final char PIXEL_SLOT = '\uE006';
    /** Where the hidden preheader goes (right after {@code <body>}). */
    public static final char PREHEADER_SLOT = '\uE007';
    /**
     * Where a static stretch of a version's HTML starts (followed by one char naming it), so the
     * text part can be put together from text made once per version (see {@code TextTemplate}).
     */
    public static final char SEGMENT = '\uE008';
    /** Where an output in visible HTML text starts (it ends at the next {@link #SEGMENT}). */
    public static final char OUTPUT = '\uE009';
    /** Where an untracked link's {@code href} value with Liquid in it starts, so the text part can read it per message. */
    public static final char HREF_START = '\uE00A';
    /** The end of such an {@code href} value. */
    public static final char HREF_END = '\uE00B';

    private static final String BLOCKED_URL = "about:invalid#blocked";

    private Escapes() {}

    /** HTML text and quoted attribute values; braces too, so no later pass can see {{ or {%. */
    public static String html(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                case '`' -> "&#96;";
                case '{' -> "&#123;";
                case '}' -> "&#125;";
                case DATA_START, DATA_END, LINK_START, LINK_END, PIXEL_SLOT, PREHEADER_SLOT, SEGMENT, OUTPUT, HREF_START, HREF_END -> "";
                default -> null;
            };
            if (rep != null) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                out.append(rep);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /** A part of a URL (path segment, query value): RFC 3986 percent-encoding of all but unreserved. */
    public static String urlPart(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /**
     * A whole URL from data (e.g. {@code href="{{ product.url }}"}): only http, https, mailto and
     * tel schemes (or a relative URL) pass; anything else (javascript:, data:, vbscript:) becomes
     * a dead link. The result is attribute-escaped.
     */
    public static String href(String s) {
        String t = s.strip();
        int colon = t.indexOf(':');
        int slash = t.indexOf('/');
        int query = t.indexOf('?');
        boolean hasScheme = colon > 0 && (slash < 0 || colon < slash) && (query < 0 || colon < query);
        if (hasScheme && !isScheme(t, colon, "http") && !isScheme(t, colon, "https") && !isScheme(t, colon, "mailto")
                && !isScheme(t, colon, "tel")) {
            return BLOCKED_URL;
        }
        if (plainUrl(t)) {
            return t;
        }
        StringBuilder out = new StringBuilder(t.length() + 16);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= DATA_START && c <= HREF_END) {
                continue;
            }
            if (c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '{' || c == '}' || c == '\\') {
                out.append(urlPart(String.valueOf(c)));
            } else if (c == '&') {
                out.append("&amp;");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isScheme(String t, int colon, String scheme) {
        return colon == scheme.length() && t.regionMatches(true, 0, scheme, 0, colon);
    }

    /** True when {@link #href} would copy every character as it is. */
    private static boolean plainUrl(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '{' || c == '}' || c == '\\'
                    || c == '&' || (c >= DATA_START && c <= HREF_END)) {
                return false;
            }
        }
        return true;
    }

    /** A CSS value inside a style attribute or element: only characters that cannot start a new declaration. */
    public static String css(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c) || c == ' ' || c == '#' || c == '.' || c == ',' || c == '%' || c == '-') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Plain text that ends up in a header (subject, preheader): line breaks become spaces (no
     * header injection) and the span is marked so the final check can tell data from template.
     */
    public static String text(String s) {
        StringBuilder oneLine = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            oneLine.append(c == '\r' || c == '\n' || (c >= DATA_START && c <= PREHEADER_SLOT) ? ' ' : c);
        }
        return DATA_START + oneLine.toString() + DATA_END;
    }
}
