package io.tessera.content;

import java.util.ArrayList;
import java.util.Arrays;
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
 * tag names from a fixed table ({@link HtmlTagNames}), attributes and text by index, the open
 * elements in parallel arrays — and copies only what it writes or decodes; the first version
 * (substrings and set lookups per tag) was a fifth of a complete message's CPU (JFR,
 * docs/BENCHMARKS.md). Same output: {@code HtmlTextTest} compares it with that version.
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
    /** The open elements, innermost last; for a link, where its text starts in the output and its href. */
    private HtmlTagNames.Tag[] openTags = new HtmlTagNames.Tag[32];
    private int[] openTextStart = new int[32];
    private String[] openHref = new String[32];
    private int depth;
    private int hiddenDepth = -1;

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
        for (int k = depth - 1; k >= 0; k--) {
            HtmlTagNames.Tag tag = openTags[k];
            if (!tag.optionalEnd()) {
                problems.add("broken HTML: <" + tag.name() + "> is never closed");
            }
            close();
        }
    }

    private HtmlTagNames.Tag name(int from) {
        return HtmlTagNames.of(html, from, nameEnd(from));
    }

    private int nameEnd(int from) {
        int e = from;
        int n = html.length();
        while (e < n) {
            char c = chars[e];
            if (!(c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == ':'
                    : Character.isLetterOrDigit(c))) {
                break;
            }
            e++;
        }
        return e;
    }

    /** The index of the {@code >} ending a start tag, skipping quoted attribute values; -1 if none. */
    private int tagEnd(int from) {
        int gt = html.indexOf('>', from);
        if (gt < 0) {
            return -1;
        }
        if (quotesEven(from, gt)) {
            return gt;
        }
        char q = 0;
        for (int k = from; k < html.length(); k++) {
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

    /** Handles the start tag html[lt, end]; returns where scanning goes on. */
    private int startTag(int lt, int end) {
        HtmlTagNames.Tag tag = name(lt + 1);
        String name = tag.name();
        boolean hidden = hiddenDepth >= 0;
        if (!hidden && name.equals("br")) {
            out.append('\n');
        }
        if (tag.isVoid() || (end > lt && chars[end - 1] == '/')) {
            if (!hidden && tag.block()) {
                out.append("\n\n");
            }
            return end + 1;
        }
        if (tag.raw()) {
            int close = indexOfIgnoreCase(html, "</" + name, end + 1);
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
        push(tag, name.equals("a") ? attributes.value(lt, end + 1, "href") : null);
        if (!hidden) {
            if (name.equals("head") || attributes.hidesContent(lt, end + 1)) {
                hiddenDepth = depth;
            } else if (tag.block()) {
                out.append('\n');
            }
        }
        return end + 1;
    }

    private void push(HtmlTagNames.Tag tag, String href) {
        if (depth == openTags.length) {
            openTags = Arrays.copyOf(openTags, depth * 2);
            openTextStart = Arrays.copyOf(openTextStart, depth * 2);
            openHref = Arrays.copyOf(openHref, depth * 2);
        }
        openTags[depth] = tag;
        openTextStart[depth] = out.length();
        openHref[depth] = href;
        depth++;
    }

    private void endTag(HtmlTagNames.Tag tag, int at) {
        if (tag.isVoid()) {
            return;
        }
        int k = depth - 1;
        while (k >= 0 && !openTags[k].name().equals(tag.name())) {
            k--;
        }
        if (k < 0) {
            problems.add("broken HTML at " + at + ": unexpected </" + tag.name() + ">");
            return;
        }
        while (depth > k) {
            close();
        }
    }

    /** Closes the innermost open element. */
    private void close() {
        depth--;
        HtmlTagNames.Tag tag = openTags[depth];
        String href = openHref[depth];
        openHref[depth] = null;
        if (hiddenDepth >= 0) {
            if (hiddenDepth == depth + 1) {
                hiddenDepth = -1;
            }
            return;
        }
        if (href != null) {
            if (!href.startsWith("#") && !sameText(out, Math.min(openTextStart[depth], out.length()), href)) {
                out.append(" (").append(href).append(')');
            }
        } else if (tag.block()) {
            out.append('\n');
        }
    }

    private void text(int from, int to) {
        if (hiddenDepth >= 0 || from >= to) {
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

    /** Where {@code needle} (a {@code </name}, any case) is in {@code s}, from {@code from}; -1 if nowhere. */
    static int indexOfIgnoreCase(String s, String needle, int from) {
        int k = from;
        while ((k = s.indexOf("</", k)) >= 0) {
            if (s.regionMatches(true, k, needle, 0, needle.length())) {
                return k;
            }
            k += 2;
        }
        return -1;
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
