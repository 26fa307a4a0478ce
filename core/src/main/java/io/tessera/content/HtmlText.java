package io.tessera.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.parser.Parser;

/**
 * One left-to-right scan of a finished message's HTML that writes the plain-text alternative
 * (visible text, block structure as line breaks, links as "text (url)"; {@code head},
 * {@code style}, {@code script} and {@code display:none} elements are skipped) and checks the
 * structure: an end tag that closes nothing open, an element other than those HTML lets close
 * implicitly left open at the end, or a tag or comment cut off by the end of the document makes
 * the message "broken HTML". Stateless.
 */
final class HtmlText {

    /** @param problems structural problems; empty when the HTML is well formed enough to send */
    record Scan(String text, List<String> problems) {}

    private static final Set<String> VOID = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input", "link",
            "meta", "param", "source", "track", "wbr");
    private static final Set<String> OPTIONAL_END = Set.of("html", "head", "body", "p", "li", "dt", "dd", "tr", "td",
            "th", "tbody", "thead", "tfoot", "option", "optgroup", "colgroup", "caption", "rt", "rp");
    private static final Set<String> BLOCK = Set.of("p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "table",
            "ul", "ol", "hr");
    private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f\\r]+");
    private static final Pattern SPACED_NEWLINE = Pattern.compile(" *\n *");
    private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");

    private final String html;
    private final StringBuilder out = new StringBuilder(4096);
    private final List<String> problems = new ArrayList<>(0);
    private final List<Open> stack = new ArrayList<>();
    private int hiddenDepth = -1;

    /** An open element; for a link, where its text starts in the output and its href. */
    private record Open(String name, int textStart, String href) {}

    private HtmlText(String html) {
        this.html = html;
    }

    static Scan scan(String html) {
        HtmlText t = new HtmlText(html);
        t.run();
        String text = SPACES.matcher(t.out).replaceAll(" ");
        text = SPACED_NEWLINE.matcher(text).replaceAll("\n");
        return new Scan(BLANK_LINES.matcher(text).replaceAll("\n\n").strip() + "\n", List.copyOf(t.problems));
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
            String linkText = out.substring(Math.min(e.textStart(), out.length())).strip().replaceAll("\\s+", " ");
            if (!href.startsWith("#") && !linkText.equals(href)) {
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

    private int indexOfIgnoreCase(String needle, int from) {
        for (int k = from; k <= html.length() - needle.length(); k++) {
            if (html.regionMatches(true, k, needle, 0, needle.length())) {
                return k;
            }
        }
        return -1;
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
