package io.tessera.content;

import io.tessera.content.liquid.Escapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.parser.Parser;

/**
 * Derives a version's {@link TextTemplate} from its prepared HTML pieces (Liquid still in them),
 * once per version, and rewrites the pieces with the markers the finisher reads: a
 * {@link Escapes#SEGMENT} + id at the start of every piece and after every Liquid tag or output in
 * text, an {@link Escapes#OUTPUT} before every output in visible text.
 *
 * <p>Implementation notes: the pieces are scanned in document order as {@link HtmlText} scans a
 * message (the same {@link OpenElements} rules; this class mirrors its tag reading, link and
 * white-space handling), with each Liquid construct held as one placeholder char. The text a stretch between
 * two markers gives is then the same for every recipient if the HTML state (the open elements,
 * whether inside a hidden one) at each Liquid tag cannot depend on data, which holds when
 * <ul>
 *   <li>Liquid tags sit in text, never inside a tag, comment or raw element, and are only
 *       {@code if/elsif/else/unless/for/assign} (no {@code capture}, {@code cycle}, {@code render} …);</li>
 *   <li>every branch and loop body, every block variant, default and fallback leaves the open
 *       elements as it found them (so also no structure problem can depend on the branch);</li>
 *   <li>outputs inside a start tag are only in quoted URL attributes (whose escapers let through
 *       no white space, quote or {@code =}, so data cannot fake an attribute or hide an element),
 *       except in void elements, which the text ignores;</li>
 *   <li>no {@code | safe} output, no entity or {@code <} cut by an output or tag, and the whole
 *       document scans without a structure problem.</li>
 * </ul>
 * Anything else gives {@link Derivation.NotDerived} with the reason, and the version's text is
 * made by scanning each message as before. Whitespace control ({@code {%-}, {@code -%}}) is applied
 * to the source here, as the compiled engine's lexer does (strip the neighbouring text), so the
 * markers do not stop it; with another engine a version using it is not derived. Not thread-safe:
 * one instance per derivation.
 */
final class TextTemplateCompiler {

    /** A piece of the document: layout HTML, or a block slot where exactly one of the alternatives renders. */
    sealed interface Part {
        record Layout(String source) implements Part {}

        record Choice(List<String> alternatives) implements Part {
            public Choice {
                alternatives = List.copyOf(alternatives);
            }
        }
    }

    sealed interface Derivation {
        /** The parts rewritten with markers (same shape as given) and the text template. */
        record Derived(List<Part> parts, TextTemplate template) implements Derivation {}

        record NotDerived(String reason) implements Derivation {}
    }

    private static final char HOLD = '\uE0F0';
    private static final Set<String> URL_ATTRIBUTES = Set.of("href", "src", "action", "background", "poster",
            "cite", "formaction", "xlink:href", "longdesc", "usemap", "data");

    /** Thrown inside the derivation when the version cannot have a text template. */
    static final class Refusal extends RuntimeException {
        Refusal(String reason) {
            super(reason, null, false, false);
        }
    }

    private final boolean trimsAllowed;
    private final List<StringBuilder> segments = new ArrayList<>();
    private final List<String> staticHrefs = new ArrayList<>();
    /**
     * The scan state that must not depend on data: the open elements, each link's operation (a
     * fresh object per link, so compared by identity) and what hides.
     */
    private OpenElements<Object> open = new OpenElements<>();
    private final OpenElements.Closing<Object> closing = this::closed;
    /** The open elements where each open Liquid block started. */
    private final ArrayList<OpenElements<Object>> liquidBlocks = new ArrayList<>();
    private int markedLinks;

    // the source being scanned
    private String s = "";
    private char[] chars = {};
    private List<TextTemplateTokens.Construct> constructs = List.of();
    private StartTagAttributes attributes;
    /** Markers to add before the char at a position of the source being scanned. */
    private final java.util.Map<Integer, String> insertions = new java.util.HashMap<>();

    private TextTemplateCompiler(boolean trimsAllowed) {
        this.trimsAllowed = trimsAllowed;
    }

    /**
     * @param trimsAllowed whether whitespace control may be applied here (true for the compiled
     *                     engine, whose lexer strips neighbouring text exactly so)
     */
    static Derivation derive(List<Part> parts, boolean trimsAllowed) {
        if (parts.isEmpty() || !(parts.getLast() instanceof Part.Layout)) {
            return new Derivation.NotDerived("the document does not end with layout HTML");
        }
        TextTemplateCompiler c = new TextTemplateCompiler(trimsAllowed);
        try {
            List<Part> out = new ArrayList<>();
            for (Part p : parts) {
                switch (p) {
                    case Part.Layout l -> out.add(new Part.Layout(c.piece(l.source())));
                    case Part.Choice ch -> {
                        OpenElements<Object> before = c.open.copy();
                        List<String> rewritten = new ArrayList<>();
                        for (String alternative : ch.alternatives()) {
                            c.open = before.copy();
                            rewritten.add(c.piece(alternative));
                            if (!c.open.sameAs(before)) {
                                throw new Refusal("a block variant or fallback leaves elements open or closes the layout's");
                            }
                        }
                        out.add(new Part.Choice(rewritten));
                    }
                }
            }
            c.finish();
            if (c.segments.size() >= TextTemplate.MAX_IDS || c.staticHrefs.size() >= TextTemplate.MAX_IDS) {
                throw new Refusal("too many segments");
            }
            List<String> texts = c.segments.stream().map(StringBuilder::toString).toList();
            return new Derivation.Derived(out, new TextTemplate(texts, c.staticHrefs));
        } catch (Refusal r) {
            return new Derivation.NotDerived(r.getMessage());
        }
    }

    /** Scans one source from the current state and returns it with the markers. */
    private String piece(String source) {
        List<Object> tokens = TextTemplateTokens.tokenize(source, trimsAllowed);
        StringBuilder analysis = new StringBuilder(source.length());
        List<TextTemplateTokens.Construct> list = new ArrayList<>();
        for (Object t : tokens) {
            if (t instanceof String text) {
                for (int k = 0; k < text.length(); k++) {
                    char ch = text.charAt(k);
                    if ((ch >= HOLD && ch <= TextTemplate.CLOSE_SILENT) || (ch >= Escapes.SEGMENT && ch <= Escapes.HREF_END)) {
                        throw new Refusal("the template text holds a reserved private-use character");
                    }
                }
                analysis.append(text);
            } else {
                TextTemplateTokens.Construct c = (TextTemplateTokens.Construct) t;
                c.at = analysis.length();
                analysis.append(HOLD);
                list.add(c);
            }
        }
        s = analysis.toString();
        chars = s.toCharArray();
        constructs = list;
        attributes = new StartTagAttributes(s, chars);
        int first = startSegment();
        int linksBefore = markedLinks;
        scan();
        int marks = 0;
        for (int m = s.indexOf(Escapes.LINK_START); m >= 0; m = s.indexOf(Escapes.LINK_START, m + 1)) {
            marks++;
        }
        if (markedLinks - linksBefore != marks) {
            throw new Refusal("a tracked link the text scan would not read as one");
        }
        checkEntityBoundary(s.length());
        if (!liquidBlocks.isEmpty()) {
            throw new Refusal("a Liquid block is not closed in its piece");
        }
        StringBuilder out = new StringBuilder(source.length() + 8 * list.size() + 2);
        out.append(Escapes.SEGMENT).append(id(first));
        int next = 0;
        for (int k = 0; k <= s.length(); k++) {
            String insert = insertions.get(k);
            if (insert != null) {
                out.append(insert);
            }
            if (k == s.length()) {
                break;
            }
            char ch = s.charAt(k);
            if (ch != HOLD) {
                out.append(ch);
                continue;
            }
            TextTemplateTokens.Construct c = list.get(next++);
            if (c.output && c.context == 1) {
                out.append(Escapes.OUTPUT).append(c.text).append(Escapes.SEGMENT).append(id(c.segment));
            } else if (!c.output) {
                if (c.context != 1 && c.context != 2) {
                    throw new Refusal("a Liquid tag inside an HTML tag, comment or raw element: " + c.text);
                }
                out.append(c.text).append(Escapes.SEGMENT).append(id(c.segment));
            } else {
                out.append(c.text);
            }
        }
        insertions.clear();
        return out.toString();
    }

    private static char id(int n) {
        return (char) (TextTemplate.ID_BASE + n);
    }

    // ---- the scan (as HtmlText's) ------------------------------------------------------------

    private int startSegment() {
        segments.add(new StringBuilder());
        return segments.size() - 1;
    }

    private StringBuilder cur() {
        return segments.getLast();
    }

    private TextTemplateTokens.Construct constructAt(int pos) {
        int lo = 0;
        int hi = constructs.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int at = constructs.get(mid).at;
            if (at == pos) {
                return constructs.get(mid);
            }
            if (at < pos) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        throw new IllegalStateException("no construct at " + pos);
    }

    private void scan() {
        int n = s.length();
        int i = 0;
        while (i < n) {
            int lt = s.indexOf('<', i);
            if (lt < 0) {
                text(i, n);
                break;
            }
            text(i, lt);
            if (lt + 1 < n && (s.charAt(lt + 1) == HOLD || (s.charAt(lt + 1) == '/' && lt + 2 < n && s.charAt(lt + 2) == HOLD))) {
                throw new Refusal("a Liquid output or tag right after '<'");
            }
            if (s.startsWith("<!--", lt)) {
                int end = s.indexOf("-->", lt + 4);
                if (end < 0) {
                    throw new Refusal("a comment is not closed");
                }
                i = end + 3;
            } else if (lt + 1 < n && (s.charAt(lt + 1) == '!' || s.charAt(lt + 1) == '?')) {
                int end = s.indexOf('>', lt);
                i = end < 0 ? n : end + 1;
            } else if (lt + 1 < n && s.charAt(lt + 1) == '/' && lt + 2 < n && Character.isLetter(s.charAt(lt + 2))) {
                int end = s.indexOf('>', lt);
                if (end < 0) {
                    throw new Refusal("an end tag is cut off");
                }
                if (s.indexOf(HOLD, lt, end) >= 0) {
                    throw new Refusal("Liquid inside an end tag");
                }
                endTag(name(lt + 2));
                i = end + 1;
            } else if (lt + 1 < n && Character.isLetter(s.charAt(lt + 1))) {
                int end = attributes.tagEnd(lt + 1);
                if (end < 0) {
                    throw new Refusal("a tag is cut off");
                }
                i = startTag(lt, end);
            } else {
                text(lt, lt + 1);
                i = lt + 1;
            }
        }
    }

    private void finish() {
        List<HtmlTagNames.Tag> neverClosed = open.endOfDocument(closing);
        if (!neverClosed.isEmpty()) {
            throw new Refusal("<" + neverClosed.getFirst().name() + "> is never closed");
        }
    }

    private HtmlTagNames.Tag name(int from) {
        return HtmlTagNames.at(s, chars, from);
    }

    private int startTag(int lt, int end) {
        HtmlTagNames.Tag tag = name(lt + 1);
        String name = tag.name();
        boolean hidden = open.hidden();
        checkLiquidInStartTag(tag, lt, end);
        if (!hidden && name.equals("br")) {
            cur().append('\n');
        }
        return switch (OpenElements.start(tag, end > lt && s.charAt(end - 1) == '/')) {
            case NOTHING -> {
                if (!hidden && tag.block()) {
                    cur().append("\n\n");
                }
                yield end + 1;
            }
            case RAW_TEXT -> {
                int close = OpenElements.rawTextEnd(s, tag, end + 1);
                if (close < 0) {
                    throw new Refusal("<" + name + "> is never closed");
                }
                int closeEnd = s.indexOf('>', close);
                if (name.equals("textarea") && s.indexOf(HOLD, end + 1, close) >= 0) {
                    throw new Refusal("Liquid inside a textarea");
                }
                if (!hidden && name.equals("textarea")) {
                    text(end + 1, close);
                }
                yield closeEnd < 0 ? s.length() : closeEnd + 1;
            }
            case OPENS -> {
                String href = name.equals("a") ? attributes.value(lt, end + 1, "href") : null;
                open.open(tag, href == null ? null : link(href, lt, end), attributes, lt, end + 1);
                if (!open.hidden() && tag.block()) {
                    cur().append('\n');
                }
                yield end + 1;
            }
        };
    }

    /** The link operation for an {@code <a>} with this (decoded) href; a fresh object per link, compared by identity. */
    private Object link(String href, int lt, int end) {
        boolean marked = s.indexOf(Escapes.LINK_START, lt, end) >= 0;
        if (marked) {
            if (href.isEmpty() || href.charAt(0) != Escapes.LINK_START || href.charAt(href.length() - 1) != Escapes.LINK_END
                    || href.indexOf(Escapes.LINK_START, 1) >= 0) {
                throw new Refusal("a tracked link whose href is not the marked value");
            }
            int v = s.indexOf(Escapes.LINK_START, lt, end);
            if (v == 0 || (s.charAt(v - 1) != '"' && s.charAt(v - 1) != '\'')) {
                throw new Refusal("an unquoted tracked href");
            }
            markedLinks++;
            cur().append(TextTemplate.OPEN_MARKED);
            return new Object();
        }
        if (href.indexOf(HOLD) >= 0) {
            // the finisher reads its value per message between these markers
            int[] v = quotedValue(lt, end, "href");
            if (v == null || !s.substring(v[0], v[1]).equals(href)) {
                throw new Refusal("an untracked link whose href the text scan would read differently");
            }
            insertions.merge(v[0], String.valueOf(Escapes.HREF_START), String::concat);
            insertions.merge(v[1], String.valueOf(Escapes.HREF_END), (a, b) -> b + a);
            cur().append(TextTemplate.OPEN_MARKED);
            return new Object();
        }
        staticHrefs.add(href);
        cur().append(TextTemplate.OPEN_STATIC).append(id(staticHrefs.size() - 1));
        return new Object();
    }

    /**
     * Liquid inside a start tag: only outputs, only in quoted URL attribute values — or anywhere
     * quoted in a void element other than a link, which the text does not read.
     */
    private void checkLiquidInStartTag(HtmlTagNames.Tag tag, int lt, int end) {
        int k = s.indexOf(HOLD, lt, end);
        if (k < 0) {
            return;
        }
        int marks = 0;
        for (int m = s.indexOf(Escapes.LINK_START, lt, end); m >= 0; m = s.indexOf(Escapes.LINK_START, m + 1, end)) {
            marks++;
        }
        if (marks > 1) {
            throw new Refusal("a tag with two tracked links");
        }
        boolean strict = !tag.isVoid() || tag.name().equals("a");
        for (; k >= 0; k = s.indexOf(HOLD, k + 1, end)) {
            TextTemplateTokens.Construct c = constructAt(k);
            if (!c.output) {
                throw new Refusal("a Liquid tag inside <" + tag.name() + ">");
            }
            String attr = attributeHolding(lt, end, k);
            if (attr == null || (strict && !URL_ATTRIBUTES.contains(attr))) {
                throw new Refusal("an output in <" + tag.name() + "> outside a quoted URL attribute");
            }
            c.context = 3;
        }
    }

    /** Where the quoted value of the first attribute {@code name} of the tag s[lt, end) starts and ends (exclusive), or null. */
    private int[] quotedValue(int lt, int end, String name) {
        for (int k = lt; k < end; k++) {
            char c = s.charAt(k);
            if ((c == '"' || c == '\'') && k > lt && (s.charAt(k - 1) == '=' || s.charAt(k - 1) == ' ')) {
                int close = s.indexOf(c, k + 1);
                if (close > 0 && close < end && name.equals(attributeHolding(lt, end, k + 1 == close ? -1 : k + 1))) {
                    return new int[] {k + 1, close};
                }
            }
        }
        return null;
    }

    /** The lower-cased name of the quoted attribute whose value holds position {@code k} of the tag s[lt, end), or null. */
    private String attributeHolding(int lt, int end, int k) {
        int i = lt + 1;
        while (i < end && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '/') {
            i++;
        }
        while (i < end) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '/') {
                i++;
                continue;
            }
            int nameStart = i;
            while (i < end && !Character.isWhitespace(s.charAt(i)) && "=>/".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String name = s.substring(nameStart, i).toLowerCase(java.util.Locale.ROOT);
            int j = i;
            while (j < end && Character.isWhitespace(s.charAt(j))) {
                j++;
            }
            if (j >= end || s.charAt(j) != '=') {
                i = Math.max(j, i + 1);
                if (k < i && k >= nameStart) {
                    return null;
                }
                continue;
            }
            j++;
            while (j < end && Character.isWhitespace(s.charAt(j))) {
                j++;
            }
            if (j < end && (s.charAt(j) == '"' || s.charAt(j) == '\'')) {
                int close = s.indexOf(s.charAt(j), j + 1);
                if (close < 0 || close > end) {
                    return null;
                }
                if (k > j && k < close) {
                    return name;
                }
                i = close + 1;
            } else {
                int e = j;
                while (e < end && !Character.isWhitespace(s.charAt(e))) {
                    e++;
                }
                if (k >= nameStart && k < e) {
                    return null;
                }
                i = e;
            }
        }
        return null;
    }

    private void endTag(HtmlTagNames.Tag tag) {
        if (!open.end(tag, closing)) {
            throw new Refusal("unexpected </" + tag.name() + ">");
        }
    }

    /** What closing an element writes: a link's close operation (silent when hidden), a visible block's line break. */
    private void closed(HtmlTagNames.Tag tag, Object link, boolean visible) {
        if (link != null) {
            cur().append(visible ? TextTemplate.CLOSE_EMIT : TextTemplate.CLOSE_SILENT);
        } else if (visible && tag.block()) {
            cur().append('\n');
        }
    }

    /** Text s[from, to): static runs as the scan writes them; each Liquid construct in it ends a segment. */
    private void text(int from, int to) {
        int k = from;
        while (k < to) {
            int hold = s.indexOf(HOLD, k, to);
            int stop = hold < 0 ? to : hold;
            if (!open.hidden() && stop > k) {
                // the preheader and pixel slots become a hidden <div> and an <img>: no text, per message
                String run = s.substring(k, stop).replace(String.valueOf(Escapes.PREHEADER_SLOT), "")
                        .replace(String.valueOf(Escapes.PIXEL_SLOT), "");
                appendCollapsed(run.indexOf('&') >= 0 ? Parser.unescapeEntities(run, false) : run);
            }
            if (hold < 0) {
                break;
            }
            checkEntityBoundary(hold);
            TextTemplateTokens.Construct c = constructAt(hold);
            if (c.output) {
                if (!open.hidden()) {
                    c.context = 1;
                    c.segment = startSegment();
                } else {
                    c.context = 2;
                }
            } else {
                c.context = open.hidden() ? 2 : 1;
                liquidTag(c);
                c.segment = startSegment();
            }
            k = hold + 1;
        }
    }

    /** A character reference cut at {@code at} would decode differently per recipient. */
    private void checkEntityBoundary(int at) {
        int k = at - 1;
        while (k >= 0 && k > at - 40 && (Character.isLetterOrDigit(s.charAt(k)) || s.charAt(k) == '#')) {
            k--;
        }
        if (k >= 0 && s.charAt(k) == '&') {
            throw new Refusal("a character reference next to Liquid");
        }
        if (at > 0 && s.charAt(at - 1) == '<') {
            throw new Refusal("'<' next to Liquid");
        }
    }

    private void liquidTag(TextTemplateTokens.Construct c) {
        if (TextTemplateTokens.OPENERS.contains(c.name)) {
            liquidBlocks.add(open.copy());
        } else if (TextTemplateTokens.MIDDLES.contains(c.name) || TextTemplateTokens.CLOSERS.contains(c.name)) {
            if (liquidBlocks.isEmpty()) {
                throw new Refusal("'" + c.name + "' outside a block");
            }
            if (!open.sameAs(liquidBlocks.getLast())) {
                throw new Refusal("a Liquid branch or loop body leaves HTML elements open or closes outer ones near " + c.text);
            }
            if (TextTemplateTokens.CLOSERS.contains(c.name)) {
                liquidBlocks.removeLast();
            }
        }
    }

    private void appendCollapsed(String src) {
        char[] c = src.toCharArray();
        HtmlText.appendCollapsed(c, 0, c.length, cur());
    }
}
