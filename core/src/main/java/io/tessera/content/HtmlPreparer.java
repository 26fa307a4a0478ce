package io.tessera.content;

import io.tessera.content.liquid.Escapes;
import io.tessera.content.liquid.LiquidSyntax;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Range;
import org.jsoup.parser.Parser;
import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;
import org.jsoup.select.Selector;

/**
 * The HTML work that depends only on a template version, done once when the version is compiled
 * (on the MJML output, Liquid still in it) so that a message is finished by splicing strings:
 * <ul>
 *   <li>CSS inlining: each {@code <style>} rule outside {@code @media} whose selector jsoup can
 *       match (no pseudo-classes) is copied into the matching elements' {@code style} attribute in
 *       source order, before the element's own declarations (which therefore win); the
 *       {@code <style>} element stays for clients that read it;</li>
 *   <li>every {@code <a href>} value is wrapped in {@link Escapes#LINK_START}/{@link Escapes#LINK_END}
 *       (unless the link has {@code data-notrack}, which is removed) — the renderer swaps a marked
 *       {@code http(s)} URL for its signed click URL;</li>
 *   <li>{@link Escapes#PREHEADER_SLOT} right after {@code <body>} and {@link Escapes#PIXEL_SLOT}
 *       right before {@code </body>} (start and end of the document without a body tag).</li>
 * </ul>
 *
 * <p>Implementation notes: Liquid is replaced by placeholders before jsoup parses the document
 * with source positions, and the edits are applied to the source text, never to a jsoup
 * serialisation: jsoup moves text it finds between table rows (where {@code {% for %}} sits in
 * an email) and would re-encode Liquid operators. Rules therefore match the template's elements,
 * not a recipient's: an element a loop repeats gets the same inline style each time; HTML a
 * template outputs with {@code | safe} is neither inlined nor link-tracked. Stateless.
 */
final class HtmlPreparer {

    private static final char HOLD_START = '\uE010';
    private static final char HOLD_END = '\uE011';
    private static final Pattern CSS_COMMENT = Pattern.compile("(?s)/\\*.*?\\*/");

    private HtmlPreparer() {
    }

    /** One inlinable CSS rule: a compiled selector and its declarations (ending in ';'). */
    private record Rule(Evaluator selector, String declarations) {}

    /** A replacement of source[start, end) by text; applied from the end of the document backwards. */
    private record Edit(int start, int end, String text) {}

    static String prepare(String html) {
        List<String> held = new ArrayList<>();
        String source = hold(html, held);
        Document doc = Jsoup.parse(source, "", Parser.htmlParser().setTrackPosition(true));
        List<Rule> rules = new ArrayList<>();
        for (Element style : doc.select("style")) {
            rules.addAll(parseRules(style.data()));
        }
        List<Predicate<Element>> tests = new ArrayList<>(rules.size());
        for (Rule r : rules) {
            tests.add(r.selector().asPredicate(doc));
        }
        List<Edit> edits = new ArrayList<>();
        StringBuilder inline = new StringBuilder();
        for (Element e : doc.getAllElements()) {
            Range r = e.sourceRange();
            if (!r.isTracked() || r.isImplicit()) {
                continue;
            }
            inline.setLength(0);
            for (int i = 0; i < rules.size(); i++) {
                if (tests.get(i).test(e)) {
                    inline.append(rules.get(i).declarations());
                }
            }
            boolean link = e.normalName().equals("a") && e.hasAttr("href");
            if (inline.isEmpty() && !link) {
                continue;
            }
            edits.add(new Edit(r.startPos(), r.endPos(),
                    startTag(source.substring(r.startPos(), r.endPos()), inline.toString(), link)));
        }
        Range bodyStart = doc.body().sourceRange();
        Range bodyEnd = doc.body().endSourceRange();
        boolean explicitBody = bodyStart.isTracked() && !bodyStart.isImplicit();
        int preheaderAt = explicitBody ? bodyStart.endPos() : 0;
        int pixelAt = bodyEnd.isTracked() && !bodyEnd.isImplicit() ? bodyEnd.startPos() : source.length();
        edits.add(new Edit(preheaderAt, preheaderAt, String.valueOf(Escapes.PREHEADER_SLOT)));
        edits.add(new Edit(pixelAt, pixelAt, String.valueOf(Escapes.PIXEL_SLOT)));
        edits.sort(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::end).reversed());
        StringBuilder out = new StringBuilder(source);
        for (Edit edit : edits) {
            out.replace(edit.start(), edit.end(), edit.text());
        }
        return release(out, held);
    }

    /**
     * Rewrites one start tag: the inlined declarations go first in its {@code style} (added when
     * missing), an {@code href} is marked for tracking, {@code data-notrack} opts out and goes.
     */
    static String startTag(String tag, String inline, boolean link) {
        List<int[]> attrs = attributes(tag);
        boolean notrack = false;
        for (int[] a : attrs) {
            notrack |= name(tag, a).equals("data-notrack");
        }
        StringBuilder out = new StringBuilder(tag.length() + inline.length() + 16);
        int at = 0;
        boolean styled = inline.isEmpty();
        for (int[] a : attrs) {
            String name = name(tag, a);
            if (name.equals("data-notrack")) {
                int from = a[0];
                while (from > at && Character.isWhitespace(tag.charAt(from - 1))) {
                    from--;
                }
                out.append(tag, at, from);
                at = a[4];
            } else if (name.equals("style") && !styled && a[2] >= 0) {
                char quote = a[3] == 0 ? '"' : (char) a[3];
                out.append(tag, at, a[0]).append("style=").append(quote).append(attr(inline, quote))
                        .append(tag, a[2], a[4] - (a[3] == 0 ? 0 : 1)).append(quote);
                at = a[4];
                styled = true;
            } else if (name.equals("href") && link && !notrack && a[2] >= 0) {
                out.append(tag, at, a[2]).append(Escapes.LINK_START).append(tag, a[2], a[4] - (a[3] == 0 ? 0 : 1))
                        .append(Escapes.LINK_END);
                at = a[4] - (a[3] == 0 ? 0 : 1);
            }
        }
        int close = tag.endsWith("/>") ? tag.length() - 2 : tag.endsWith(">") ? tag.length() - 1 : tag.length();
        if (!styled) {
            out.append(tag, at, close).append(" style=\"").append(attr(inline, '"')).append('"');
            at = close;
        }
        out.append(tag, at, tag.length());
        return out.toString();
    }

    /**
     * Attribute spans of a start tag: {nameStart, nameEnd, valueStart (-1 without value), quote
     * (0 unquoted), end (after the closing quote)}.
     */
    private static List<int[]> attributes(String tag) {
        List<int[]> out = new ArrayList<>();
        int i = 1;
        while (i < tag.length() && !Character.isWhitespace(tag.charAt(i)) && tag.charAt(i) != '>' && tag.charAt(i) != '/') {
            i++;
        }
        while (i < tag.length()) {
            char c = tag.charAt(i);
            if (Character.isWhitespace(c) || c == '/') {
                i++;
                continue;
            }
            if (c == '>') {
                break;
            }
            int nameStart = i;
            while (i < tag.length() && !Character.isWhitespace(tag.charAt(i)) && "=>/".indexOf(tag.charAt(i)) < 0) {
                i++;
            }
            int nameEnd = i;
            int j = i;
            while (j < tag.length() && Character.isWhitespace(tag.charAt(j))) {
                j++;
            }
            if (j < tag.length() && tag.charAt(j) == '=') {
                j++;
                while (j < tag.length() && Character.isWhitespace(tag.charAt(j))) {
                    j++;
                }
                if (j < tag.length() && (tag.charAt(j) == '"' || tag.charAt(j) == '\'')) {
                    char q = tag.charAt(j);
                    int end = tag.indexOf(q, j + 1);
                    end = end < 0 ? tag.length() : end + 1;
                    out.add(new int[] {nameStart, nameEnd, j + 1, q, end});
                    i = end;
                } else {
                    int end = j;
                    while (end < tag.length() && !Character.isWhitespace(tag.charAt(end)) && tag.charAt(end) != '>') {
                        end++;
                    }
                    out.add(new int[] {nameStart, nameEnd, j, 0, end});
                    i = end;
                }
            } else {
                out.add(new int[] {nameStart, nameEnd, -1, 0, nameEnd});
            }
        }
        return out;
    }

    private static String name(String tag, int[] a) {
        return tag.substring(a[0], a[1]).toLowerCase(Locale.ROOT);
    }

    private static String attr(String v, char quote) {
        String s = v.replace("&", "&amp;");
        return quote == '\'' ? s.replace("'", "&#39;") : s.replace("\"", "&quot;");
    }

    /** Replaces each Liquid tag and output (a raw/comment block as a whole) by a placeholder. */
    private static String hold(String html, List<String> held) {
        StringBuilder out = new StringBuilder(html.length());
        int i = 0;
        while (i < html.length()) {
            boolean output = html.startsWith("{{", i);
            if (!output && !html.startsWith("{%", i)) {
                out.append(html.charAt(i++));
                continue;
            }
            int end = LiquidSyntax.tagEnd(html, i + 2, output ? "}}" : "%}");
            if (end < 0) {
                out.append(html, i, html.length());
                break;
            }
            String body = html.substring(i + 2, end).replaceFirst("^-", "").trim();
            String name = output ? "" : body.split("[\\s-]+", 2)[0];
            if (name.equals("raw") || name.equals("comment")) {
                int close = html.indexOf("end" + name, end);
                int closeEnd = close < 0 ? -1 : html.indexOf("%}", close);
                end = closeEnd < 0 ? end : closeEnd;
            }
            held.add(html.substring(i, end + 2));
            out.append(HOLD_START).append(held.size() - 1).append(HOLD_END);
            i = end + 2;
        }
        return out.toString();
    }

    private static String release(CharSequence s, List<String> held) {
        StringBuilder out = new StringBuilder(s.length() + 256);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == HOLD_START) {
                int j = i + 1;
                while (s.charAt(j) != HOLD_END) {
                    j++;
                }
                out.append(held.get(Integer.parseInt(s.subSequence(i + 1, j).toString())));
                i = j;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static List<Rule> parseRules(String styleText) {
        List<Rule> rules = new ArrayList<>();
        String css = CSS_COMMENT.matcher(styleText).replaceAll("");
        int depth = 0;
        int start = 0;
        boolean inMedia = false;
        String selector = null;
        for (int i = 0; i < css.length(); i++) {
            char c = css.charAt(i);
            if (c == '{') {
                String head = css.substring(start, i).trim();
                if (depth == 0 && head.startsWith("@")) {
                    inMedia = true;
                } else if (!inMedia || depth > 0) {
                    selector = depth == 0 ? head : null;
                }
                depth++;
                start = i + 1;
            } else if (c == '}') {
                depth--;
                if (depth == 0 && !inMedia && selector != null) {
                    addRules(rules, selector, css.substring(start, i).trim());
                }
                if (depth == 0) {
                    inMedia = false;
                    selector = null;
                }
                start = i + 1;
            }
        }
        return rules;
    }

    private static void addRules(List<Rule> rules, String selectors, String declarations) {
        if (declarations.isEmpty() || declarations.indexOf(HOLD_START) >= 0) {
            return;
        }
        String decl = declarations.endsWith(";") ? declarations : declarations + ";";
        for (String sel : selectors.split(",")) {
            String s = sel.trim();
            if (s.isEmpty() || s.contains(":") || s.contains("@") || s.indexOf(HOLD_START) >= 0) {
                continue;
            }
            try {
                rules.add(new Rule(QueryParser.parse(s), decl));
            } catch (Selector.SelectorParseException unsupported) {
                // a selector jsoup cannot match stays in <style> only
            }
        }
    }
}
