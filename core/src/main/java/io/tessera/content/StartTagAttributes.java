package io.tessera.content;

import java.util.Locale;

/**
 * Attributes of start tags read in place in a document, for the text scans ({@link HtmlText},
 * {@link TextTemplateCompiler}): where a tag ends (its quoted values skipped), a value by name
 * (entities decoded), and whether a style hides the element. An attribute name counts when white
 * space precedes it and {@code =} follows; case is ignored only when the tag has upper case at
 * all (the first version's rule, kept so the text part does not change). Confined to one scan.
 */
final class StartTagAttributes {

    private final String html;
    private final char[] chars;

    StartTagAttributes(String html, char[] chars) {
        this.html = html;
        this.chars = chars;
    }

    /** The index of the {@code >} ending the start tag whose name starts at {@code from}, skipping quoted attribute values; -1 if none. */
    int tagEnd(int from) {
        int gt = html.indexOf('>', from);
        if (gt < 0) {
            return -1;
        }
        if (quotesEven(from, gt)) {
            return gt;
        }
        char q = 0;
        for (int k = from; k < chars.length; k++) {
            char c = chars[k];
            if (q != 0) {
                if (c == q) {
                    q = 0;
                }
            } else if (c == '"' || c == '\'') {
                if (k > 0 && chars[k - 1] == '=' || k > 1 && chars[k - 1] == ' ' && chars[k - 2] == '=') {
                    q = c;
                }
            } else if (c == '>') {
                return k;
            }
        }
        return -1;
    }

    /**
     * Whether html[from, to) holds an even number of {@code "} and of {@code '}: by vectorised
     * {@code indexOf} hops (a tag is ~150 chars of inlined style with a few quotes; the per-char
     * loop was 4% of a complete message).
     */
    private boolean quotesEven(int from, int to) {
        return even('"', from, to) && even('\'', from, to);
    }

    private boolean even(char quote, int from, int to) {
        boolean even = true;
        for (int k = html.indexOf(quote, from, to); k >= 0; k = html.indexOf(quote, k + 1, to)) {
            even = !even;
        }
        return even;
    }

    /** Whether the tag html[from, to) has a style attribute saying {@code display:none} (spaces and case ignored). */
    boolean hidesContent(int from, int to) {
        int v = valueStart(from, to, "style");
        if (v < 0) {
            return false;
        }
        int ve = valueEnd(v, to);
        int start = v < to && (chars[v] == '"' || chars[v] == '\'') ? v + 1 : v;
        if (html.indexOf('&', start, ve) >= 0) {
            String style = value(from, to, "style");
            return style.replace(" ", "").toLowerCase(Locale.ROOT).contains("display:none");
        }
        return containsIgnoringSpaces(start, ve, "display:none");
    }

    /**
     * Whether html[from, to) with its spaces removed contains {@code needle}, ignoring ASCII case;
     * restarting at the mismatching char is exact because the needle's first char does not recur.
     */
    private boolean containsIgnoringSpaces(int from, int to, String needle) {
        int matched = 0;
        for (int k = from; k < to; k++) {
            char c = chars[k];
            if (c >= 128) {
                return html.substring(from, to).replace(" ", "").toLowerCase(Locale.ROOT).contains(needle);
            }
            if (c == ' ') {
                continue;
            }
            char lower = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
            if (lower != needle.charAt(matched)) {
                matched = lower == needle.charAt(0) ? 1 : 0;
            } else if (++matched == needle.length()) {
                return true;
            }
        }
        return false;
    }

    /** The decoded value of attribute {@code name} of the start tag html[from, to), or null. */
    String value(int from, int to, String name) {
        int v = valueStart(from, to, name);
        if (v < 0) {
            return null;
        }
        int start = v < to && (chars[v] == '"' || chars[v] == '\'') ? v + 1 : v;
        String value = html.substring(start, valueEnd(v, to));
        return HtmlFinisher.attributeValue(value);
    }

    /** Where the value of attribute {@code name} starts in the tag html[from, to) (at its quote, if quoted), or -1. */
    private int valueStart(int from, int to, String name) {
        int i = from;
        while (true) {
            int at = indexOfName(from, to, name, i);
            if (at < 0) {
                return -1;
            }
            int j = at + name.length();
            while (j < to && chars[j] == ' ') {
                j++;
            }
            if (j >= to || chars[j] != '=') {
                i = at + name.length();
                continue;
            }
            j++;
            while (j < to && chars[j] == ' ') {
                j++;
            }
            return j;
        }
    }

    /** Where the value starting at {@code v} ends (exclusive): its closing quote, or white space or {@code >}. */
    private int valueEnd(int v, int to) {
        if (v < to && (chars[v] == '"' || chars[v] == '\'')) {
            int end = html.indexOf(chars[v], v + 1, to);
            return end < 0 ? to : end;
        }
        int end = v;
        while (end < to && !Character.isWhitespace(chars[end]) && chars[end] != '>') {
            end++;
        }
        return end;
    }

    /** Where attribute {@code name} starts in the tag html[tagFrom, to) (preceded by whitespace), from {@code k}; or -1. */
    private int indexOfName(int tagFrom, int to, String name, int k) {
        int at = k;
        while ((at = html.indexOf(name, at, to)) >= 0) {
            if (at > tagFrom && Character.isWhitespace(chars[at - 1])) {
                return at;
            }
            at += name.length();
        }
        if (!hasUpperCase(tagFrom, to)) {
            return -1;
        }
        for (at = k; at <= to - name.length(); at++) {
            if (at > tagFrom && Character.isWhitespace(chars[at - 1]) && html.regionMatches(true, at, name, 0, name.length())) {
                return at;
            }
        }
        return -1;
    }

    private boolean hasUpperCase(int from, int to) {
        for (int k = from; k < to; k++) {
            if (Character.isUpperCase(chars[k])) {
                return true;
            }
        }
        return false;
    }
}
