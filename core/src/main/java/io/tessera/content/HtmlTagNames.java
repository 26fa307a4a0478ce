package io.tessera.content;

import java.util.Locale;
import java.util.Set;

/**
 * Tag names as the text scans ({@link HtmlText}, {@link TextTemplateCompiler}) need them:
 * lower-cased, with what HTML says about each (void, end tag optional, a block that breaks the
 * text, raw text like {@code <style>}). Names of the elements email HTML uses are found in a fixed
 * table straight from the document's chars, without a substring or a lower-cased copy per tag (the
 * text scan is run per message); any other name is copied. Immutable and thread-safe.
 */
final class HtmlTagNames {

    /** A lower-cased tag name and its classes. */
    record Tag(String name, boolean isVoid, boolean optionalEnd, boolean block, boolean raw) {}

    private static final Set<String> VOID = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input", "link",
            "meta", "param", "source", "track", "wbr");
    private static final Set<String> OPTIONAL_END = Set.of("html", "head", "body", "p", "li", "dt", "dd", "tr", "td",
            "th", "tbody", "thead", "tfoot", "option", "optgroup", "colgroup", "caption", "rt", "rp");
    private static final Set<String> BLOCK = Set.of("p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "table",
            "ul", "ol", "hr");
    private static final Set<String> RAW = Set.of("style", "script", "title", "textarea");
    private static final String[] COMMON = {"a", "span", "img", "table", "tbody", "tr", "td", "div", "p", "br", "center",
            "font", "b", "strong", "i", "em", "u", "s", "sup", "sub", "small", "big", "html", "head", "body", "meta", "link",
            "title", "style", "script", "textarea", "o:p", "v:roundrect", "v:textbox", "section", "article", "header",
            "footer", "label", "button", "th", "thead", "tfoot", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
            "col", "colgroup", "caption", "area", "base", "embed", "input", "param", "source", "track", "wbr", "dt", "dd",
            "option", "optgroup", "rt", "rp", "pre", "code", "blockquote", "nav", "main", "picture", "map", "form", "noscript"};
    private static final int SLOTS = 256;
    private static final Tag[] TABLE = new Tag[SLOTS];

    static {
        for (String name : COMMON) {
            int slot = hash(name, 0, name.length()) & (SLOTS - 1);
            while (TABLE[slot] != null) {
                slot = (slot + 1) & (SLOTS - 1);
            }
            TABLE[slot] = classify(name);
        }
    }

    private HtmlTagNames() {
    }

    /**
     * The tag whose name starts at {@code s[from]} (ASCII letters, digits, {@code -} and {@code :},
     * any other letter or digit); {@code chars} holds the same chars as {@code s}.
     */
    static Tag at(String s, char[] chars, int from) {
        int e = from;
        int n = chars.length;
        while (e < n) {
            char c = chars[e];
            if (!(c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == ':'
                    : Character.isLetterOrDigit(c))) {
                break;
            }
            e++;
        }
        return of(s, from, e);
    }

    /** The tag named by {@code s[from, to)}. */
    static Tag of(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 128) {
                return classify(s.substring(from, to).toLowerCase(Locale.ROOT));
            }
            h = 31 * h + (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        int len = to - from;
        for (int slot = h & (SLOTS - 1); TABLE[slot] != null; slot = (slot + 1) & (SLOTS - 1)) {
            String name = TABLE[slot].name();
            if (name.length() == len && (s.regionMatches(from, name, 0, len) || s.regionMatches(true, from, name, 0, len))) {
                return TABLE[slot];
            }
        }
        return classify(s.substring(from, to).toLowerCase(Locale.ROOT));
    }

    private static int hash(String lower, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + lower.charAt(i);
        }
        return h;
    }

    private static Tag classify(String lower) {
        return new Tag(lower, VOID.contains(lower), OPTIONAL_END.contains(lower), BLOCK.contains(lower), RAW.contains(lower));
    }
}
