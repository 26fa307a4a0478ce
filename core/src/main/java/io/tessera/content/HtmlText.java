package io.tessera.content;

import java.util.ArrayList;
import java.util.List;
import org.jsoup.parser.Parser;

/**
 * One left-to-right scan of a finished message's HTML that writes the plain-text alternative
 * (visible text, block structure as line breaks, links as "text (url)"; {@code head},
 * {@code style}, {@code script} and {@code display:none} elements are skipped) and checks the
 * structure: an end tag that closes nothing open, an element other than those HTML lets close
 * implicitly left open at the end, or a tag or comment cut off by the end of the document makes
 * the message "broken HTML". Stateless.
 *
 * <p>Implementation note: runs once per message over ~28 KB, so it reads the document in place —
 * tag names from a fixed table ({@link HtmlTagNames}), attributes and text by index — and copies
 * only what it writes or decodes; the first version (substrings and set lookups per tag) was a
 * fifth of a complete message's CPU (JFR, docs/BENCHMARKS.md). Same output: {@code HtmlTextTest} compares it with that version. Which
 * elements are open and hidden follows {@link OpenElements}, the rules the text template shares.
 */
final class HtmlText {

    /** @param problems structural problems; empty when the HTML is well formed enough to send */
    record Scan(String text, List<String> problems) {}

    private final String html;
    /** The same chars as an array: per-char loops over it keep their bounds checks out of the loop (a UTF-16 String's charAt does not). */
    private final char[] chars;
    private final StartTagAttributes attributes;
    private final StringBuilder out = new StringBuilder(4096);
    private final List<String> problems = new ArrayList<>(0);
    private final OpenElements<Link> open = new OpenElements<>();
    private final OpenElements.Closing<Link> closing = this::closed;

    /** An open link: its href and where its text starts in the output. */
    private record Link(String href, int textStart) {}

    private HtmlText(String html) {
        this.html = html;
        this.chars = html.toCharArray();
        this.attributes = new StartTagAttributes(html, chars);
    }

    static Scan scan(String html) {
        HtmlText t = new HtmlText(html);
        t.run();
        return new Scan(tidy(t.out), List.copyOf(t.problems));
    }

    /**
     * Runs of spaces become one, spaces around a line break go, at most one blank line in a row,
     * no leading or trailing white space, one final line break.
     */
    static String tidy(CharSequence raw) {
        int len = raw.length();
        char[] in = new char[len];
        if (raw instanceof StringBuilder sb) {
            sb.getChars(0, len, in, 0);
        } else {
            raw.toString().getChars(0, len, in, 0);
        }
        char[] out = new char[len + 1];
        int n = 0;
        boolean space = false;
        int newlines = 0;
        for (int i = 0; i < len; i++) {
            char c = in[i];
            if (c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || c == '\r') {
                space = true;
            } else if (c == '\n') {
                newlines++;
                space = false;
            } else {
                if (n > 0) {
                    if (newlines > 1) {
                        out[n++] = '\n';
                        out[n++] = '\n';
                    } else if (newlines == 1) {
                        out[n++] = '\n';
                    } else if (space) {
                        out[n++] = ' ';
                    }
                }
                newlines = 0;
                space = false;
                out[n++] = c;
            }
        }
        out[n++] = '\n';
        return new String(out, 0, n);
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
            } else if (lt + 1 < n && (chars[lt + 1] == '!' || chars[lt + 1] == '?')) {
                int end = html.indexOf('>', lt);
                i = end < 0 ? n : end + 1;
            } else if (lt + 1 < n && chars[lt + 1] == '/' && lt + 2 < n && Character.isLetter(chars[lt + 2])) {
                int end = html.indexOf('>', lt);
                if (end < 0) {
                    problems.add("broken HTML at " + lt + ": end tag cut off");
                    return;
                }
                endTag(name(lt + 2), lt);
                i = end + 1;
            } else if (lt + 1 < n && Character.isLetter(chars[lt + 1])) {
                int end = attributes.tagEnd(lt + 1);
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
        for (HtmlTagNames.Tag tag : open.endOfDocument(closing)) {
            problems.add("broken HTML: <" + tag.name() + "> is never closed");
        }
    }

    private HtmlTagNames.Tag name(int from) {
        return HtmlTagNames.at(html, chars, from);
    }

    /** Handles the start tag html[lt, end]; returns where scanning goes on. */
    private int startTag(int lt, int end) {
        HtmlTagNames.Tag tag = name(lt + 1);
        String name = tag.name();
        boolean hidden = open.hidden();
        if (!hidden && name.equals("br")) {
            out.append('\n');
        }
        return switch (OpenElements.start(tag, end > lt && chars[end - 1] == '/')) {
            case NOTHING -> {
                if (!hidden && tag.block()) {
                    out.append("\n\n");
                }
                yield end + 1;
            }
            case RAW_TEXT -> {
                int close = OpenElements.rawTextEnd(html, tag, end + 1);
                if (close < 0) {
                    problems.add("broken HTML at " + lt + ": <" + name + "> is never closed");
                    yield html.length();
                }
                int closeEnd = html.indexOf('>', close);
                if (!hidden && name.equals("textarea")) {
                    text(end + 1, close);
                }
                yield closeEnd < 0 ? html.length() : closeEnd + 1;
            }
            case OPENS -> {
                String href = name.equals("a") ? attributes.value(lt, end + 1, "href") : null;
                open.open(tag, href == null ? null : new Link(href, out.length()), attributes, lt, end + 1);
                if (!open.hidden() && tag.block()) {
                    out.append('\n');
                }
                yield end + 1;
            }
        };
    }

    private void endTag(HtmlTagNames.Tag tag, int at) {
        if (!open.end(tag, closing)) {
            problems.add("broken HTML at " + at + ": unexpected </" + tag.name() + ">");
        }
    }

    /** What closing an element writes: a link's " (href)" unless it adds nothing, a block's line break. */
    private void closed(HtmlTagNames.Tag tag, Link link, boolean visible) {
        if (!visible) {
            return;
        }
        if (link != null) {
            String href = link.href();
            if (!href.startsWith("#") && !sameText(out, Math.min(link.textStart(), out.length()), href)) {
                out.append(" (").append(href).append(')');
            }
        } else if (tag.block()) {
            out.append('\n');
        }
    }

    private void text(int from, int to) {
        if (open.hidden() || from >= to) {
            return;
        }
        if (html.indexOf('&', from, to) < 0) {
            appendCollapsed(chars, from, to, out);
        } else {
            char[] decoded = Parser.unescapeEntities(html.substring(from, to), false).toCharArray();
            appendCollapsed(decoded, 0, decoded.length, out);
        }
    }

    /** Appends src[from, to) to {@code out} with each run of white space as one space (the text part's rule). */
    static void appendCollapsed(char[] src, int from, int to, StringBuilder out) {
        boolean space = false;
        int word = -1; // where the run of non-space chars being copied starts
        for (int i = from; i < to; i++) {
            char c = src[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u00A0') {
                if (word >= 0) {
                    out.append(src, word, i - word);
                    word = -1;
                }
                space = true;
            } else if (word < 0) {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                word = i;
            }
        }
        if (word >= 0) {
            out.append(src, word, to - word);
        }
        if (space) {
            out.append(' ');
        }
    }

    /** Whether out[from..] is {@code text} once white space is collapsed and stripped. */
    static boolean sameText(StringBuilder out, int from, String text) {
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
}
