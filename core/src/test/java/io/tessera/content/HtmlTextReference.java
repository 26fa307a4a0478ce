package io.tessera.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jsoup.parser.Parser;

/**
 * {@link HtmlText} as first written (substrings, sets, per-tag attribute copies): the
 * specification the single-pass scan is compared with in {@link HtmlTextTest}.
 */
final class HtmlTextReference {

    /** @param problems structural problems; empty when the HTML is well formed enough to send */
    record Scan(String text, List<String> problems) {}

    private static final Set<String> VOID = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input", "link",
            "meta", "param", "source", "track", "wbr");
    private static final Set<String> OPTIONAL_END = Set.of("html", "head", "body", "p", "li", "dt", "dd", "tr", "td",
            "th", "tbody", "thead", "tfoot", "option", "optgroup", "colgroup", "caption", "rt", "rp");
    private static final Set<String> BLOCK = Set.of("p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "table",
            "ul", "ol", "hr");

    private final String html;
    private final StringBuilder out = new StringBuilder(4096);
    private final List<String> problems = new ArrayList<>(0);
    private final List<Open> stack = new ArrayList<>();
    private int hiddenDepth = -1;

    /** An open element; for a link, where its text starts in the output and its href. */
    private record Open(String name, int textStart, String href) {}

    private HtmlTextReference(String html) {
        this.html = html;
    }

    static Scan scan(String html) {
        HtmlTextReference t = new HtmlTextReference(html);
        t.run();
        return new Scan(tidy(t.out), List.copyOf(t.problems));
    }

    /**
     * Runs of spaces become one, spaces around a line break go, at most one blank line in a row,
     * no leading or trailing white space, one final line break.
     */
    static String tidy(CharSequence raw) {
        StringBuilder out = new StringBuilder(raw.length());
        boolean space = false;
        int newlines = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || c == '\r') {
                space = true;
            } else if (c == '\n') {
                newlines++;
                space = false;
            } else {
                if (!out.isEmpty()) {
                    if (newlines > 0) {
                        out.append(newlines > 1 ? "\n\n" : "\n");
                    } else if (space) {
                        out.append(' ');
                    }
                }
                newlines = 0;
                space = false;
                out.append(c);
            }
        }
        return out.append('\n').toString();
    }

    private void run() {
        int n = html.length();
        int i = 0;
        while (i < n) {
            int lt = html.indexOf('<', i);
            if (lt < 0) {
                text(i, n);
                break;
            }
            text(i, lt);
            if (html.startsWith("<!--", lt)) {
                int end = html.indexOf("-->", lt + 4);
                if (end < 0) {
                    problems.add("broken HTML at " + lt + ": comment not closed");
                    return;
                }
                i = end + 3;
            } else if (lt + 1 < n && (html.charAt(lt + 1) == '!' || html.charAt(lt + 1) == '?')) {
                int end = html.indexOf('>', lt);
                i = end < 0 ? n : end + 1;
            } else if (lt + 1 < n && html.charAt(lt + 1) == '/' && lt + 2 < n && Character.isLetter(html.charAt(lt + 2))) {
                int end = html.indexOf('>', lt);
                if (end < 0) {
                    problems.add("broken HTML at " + lt + ": end tag cut off");
                    return;
                }
                endTag(name(lt + 2), lt);
                i = end + 1;
            } else if (lt + 1 < n && Character.isLetter(html.charAt(lt + 1))) {
                int end = tagEnd(lt + 1);
                if (end < 0) {
                    problems.add("broken HTML at " + lt + ": tag cut off");
                    return;
                }
                i = startTag(lt, end);
            } else {
                text(lt, lt + 1);
                i = lt + 1;
            }
        }
        for (int k = stack.size() - 1; k >= 0; k--) {
            String name = stack.get(k).name();
            if (!OPTIONAL_END.contains(name)) {
                problems.add("broken HTML: <" + name + "> is never closed");
            }
            close();
        }
    }

    private String name(int from) {
        int e = from;
        while (e < html.length() && (Character.isLetterOrDigit(html.charAt(e)) || html.charAt(e) == '-' || html.charAt(e) == ':')) {
            e++;
        }
        return html.substring(from, e).toLowerCase(Locale.ROOT);
    }

    /** The index of the {@code >} ending a start tag, skipping quoted attribute values; -1 if none. */
    private int tagEnd(int from) {
        int gt = html.indexOf('>', from);
        if (gt < 0) {
            return -1;
        }
        if (evenCount(from, gt, '"') && evenCount(from, gt, '\'')) {
            return gt;
        }
        char q = 0;
        for (int k = from; k < html.length(); k++) {
            char c = html.charAt(k);
            if (q != 0) {
                if (c == q) {
                    q = 0;
                }
            } else if (c == '"' || c == '\'') {
                if (k > 0 && html.charAt(k - 1) == '=' || k > 1 && html.charAt(k - 1) == ' ' && html.charAt(k - 2) == '=') {
                    q = c;
                }
            } else if (c == '>') {
                return k;
            }
        }
        return -1;
    }

    private boolean evenCount(int from, int to, char c) {
        int count = 0;
        for (int k = from; k < to; k++) {
            if (html.charAt(k) == c) {
                count++;
            }
        }
        return count % 2 == 0;
    }

    /** Handles the start tag html[lt, end]; returns where scanning goes on. */
    private int startTag(int lt, int end) {
        String name = name(lt + 1);
        String tag = html.substring(lt, end + 1);
        boolean hidden = hiddenDepth >= 0;
        if (!hidden && name.equals("br")) {
            out.append('\n');
        }
        if (VOID.contains(name) || tag.endsWith("/>")) {
            if (!hidden && BLOCK.contains(name)) {
                out.append("\n\n");
            }
            return end + 1;
        }
        if (name.equals("style") || name.equals("script") || name.equals("title") || name.equals("textarea")) {
            int close = indexOfIgnoreCase("</" + name, end + 1);
            if (close < 0) {
                problems.add("broken HTML at " + lt + ": <" + name + "> is never closed");
                return html.length();
            }
            int closeEnd = html.indexOf('>', close);
            if (!hidden && name.equals("textarea")) {
                text(end + 1, close);
            }
            return closeEnd < 0 ? html.length() : closeEnd + 1;
        }
        String href = name.equals("a") ? attribute(tag, "href") : null;
        stack.add(new Open(name, out.length(), href));
        if (!hidden) {
            String style = attribute(tag, "style");
            if (name.equals("head") || (style != null && style.replace(" ", "").toLowerCase(Locale.ROOT).contains("display:none"))) {
                hiddenDepth = stack.size();
            } else if (BLOCK.contains(name)) {
                out.append('\n');
            }
        }
        return end + 1;
    }

    private void endTag(String name, int at) {
        if (VOID.contains(name)) {
            return;
        }
        int k = stack.size() - 1;
        while (k >= 0 && !stack.get(k).name().equals(name)) {
            k--;
        }
        if (k < 0) {
            problems.add("broken HTML at " + at + ": unexpected </" + name + ">");
            return;
        }
        while (stack.size() > k) {
            close();
        }
    }

    /** Closes the innermost open element. */
    private void close() {
        Open e = stack.remove(stack.size() - 1);
        if (hiddenDepth >= 0) {
            if (hiddenDepth == stack.size() + 1) {
                hiddenDepth = -1;
            }
            return;
        }
        if (e.href() != null) {
            String href = e.href();
            if (!href.startsWith("#") && !sameText(out, Math.min(e.textStart(), out.length()), href)) {
                out.append(" (").append(href).append(')');
            }
        } else if (BLOCK.contains(e.name())) {
            out.append('\n');
        }
    }

    private void text(int from, int to) {
        if (hiddenDepth >= 0 || from >= to) {
            return;
        }
        String raw = html.substring(from, to);
        String decoded = raw.indexOf('&') >= 0 ? Parser.unescapeEntities(raw, false) : raw;
        boolean space = false;
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u00A0') {
                space = true;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        if (space) {
            out.append(' ');
        }
    }

    /** Where {@code </name} (any case) is, from {@code from}; -1 if nowhere. */
    private int indexOfIgnoreCase(String needle, int from) {
        int k = from;
        while ((k = html.indexOf("</", k)) >= 0) {
            if (html.regionMatches(true, k, needle, 0, needle.length())) {
                return k;
            }
            k += 2;
        }
        return -1;
    }

    /** Whether out[from..] is {@code text} once white space is collapsed and stripped. */
    private static boolean sameText(StringBuilder out, int from, String text) {
        int i = from;
        int n = out.length();
        while (i < n && Character.isWhitespace(out.charAt(i))) {
            i++;
        }
        while (n > i && Character.isWhitespace(out.charAt(n - 1))) {
            n--;
        }
        int j = 0;
        while (i < n) {
            char c = out.charAt(i);
            if (Character.isWhitespace(c)) {
                while (i < n && Character.isWhitespace(out.charAt(i))) {
                    i++;
                }
                c = ' ';
            } else {
                i++;
            }
            if (j >= text.length() || text.charAt(j) != c) {
                return false;
            }
            j++;
        }
        return j == text.length();
    }

    /** The decoded value of a start tag's attribute, or null. */
    private static String attribute(String tag, String name) {
        int i = 0;
        String lower = null;
        while (true) {
            int at = indexOfName(tag, name, i);
            if (at < 0) {
                return null;
            }
            int j = at + name.length();
            while (j < tag.length() && tag.charAt(j) == ' ') {
                j++;
            }
            if (j >= tag.length() || tag.charAt(j) != '=') {
                i = at + name.length();
                continue;
            }
            j++;
            while (j < tag.length() && tag.charAt(j) == ' ') {
                j++;
            }
            int end;
            String v;
            if (j < tag.length() && (tag.charAt(j) == '"' || tag.charAt(j) == '\'')) {
                end = tag.indexOf(tag.charAt(j), j + 1);
                v = tag.substring(j + 1, end < 0 ? tag.length() : end);
            } else {
                end = j;
                while (end < tag.length() && !Character.isWhitespace(tag.charAt(end)) && tag.charAt(end) != '>') {
                    end++;
                }
                v = tag.substring(j, end);
            }
            return v.indexOf('&') >= 0 ? Parser.unescapeEntities(v, true) : v;
        }
    }

    /** Where attribute {@code name} starts in the tag (preceded by whitespace), or -1. */
    private static int indexOfName(String tag, String name, int from) {
        int k = from;
        while ((k = tag.indexOf(name, k)) >= 0) {
            if (k > 0 && Character.isWhitespace(tag.charAt(k - 1))) {
                return k;
            }
            k += name.length();
        }
        if (tag.chars().noneMatch(Character::isUpperCase)) {
            return -1;
        }
        k = from;
        while ((k = indexOfIgnoreCase(tag, name, k)) >= 0) {
            if (k > 0 && Character.isWhitespace(tag.charAt(k - 1))) {
                return k;
            }
            k += name.length();
        }
        return -1;
    }

    private static int indexOfIgnoreCase(String s, String needle, int from) {
        for (int k = from; k <= s.length() - needle.length(); k++) {
            if (s.regionMatches(true, k, needle, 0, needle.length())) {
                return k;
            }
        }
        return -1;
    }
}
