package io.tessera.content;

import io.tessera.content.liquid.Escapes;
import java.util.List;
import org.jsoup.parser.Parser;

/**
 * A version's plain-text part, converted from its HTML once ({@link TextTemplateCompiler}): the
 * text of every static stretch ("segment") of the version's HTML, with link operations in it.
 * Per message only what the recipient's render chose is put together — the segments whose
 * {@link Escapes#SEGMENT} markers the HTML contains, in order, and each output in visible text,
 * decoded and white-space collapsed as {@link HtmlText} would — then tidied the same way. The
 * result is the text {@link HtmlText#scan} makes from the finished HTML (proved by
 * {@code TextTemplateTest} on the shipped templates and random hostile data); versions where that
 * could not be proved at compile time have no text template and are scanned per message.
 *
 * <p>Implementation notes: a segment's text may hold link operations (chars below), because a
 * link's "text (url)" depends on the message: the URL is the signed click URL, and it is left out
 * when it equals the link text. {@link #OPEN_MARKED} takes the next finished {@code href} the
 * finisher met between link markers (a tracked link's, or an untracked one's with Liquid in it) (links are met in the same order in the HTML and in the
 * segments); {@link #OPEN_STATIC} is followed by one char naming an untracked link's constant
 * {@code href}. Immutable and thread-safe.
 */
public final class TextTemplate {

    /** Opens a tracked link: its href is the next one the finisher signed. */
    static final char OPEN_MARKED = '\uE0F1';
    /** Opens an untracked link; the next char minus {@link #ID_BASE} indexes the static hrefs. */
    static final char OPEN_STATIC = '\uE0F2';
    /** Closes a visible link: " (href)" unless the href is a fragment or the link's own text. */
    static final char CLOSE_EMIT = '\uE0F3';
    /** Closes a link whose end is hidden: nothing is written. */
    static final char CLOSE_SILENT = '\uE0F4';
    /** Segment ids and static-href indexes are one char from here (private use, up to U+F8FF). */
    static final int ID_BASE = 0xE100;
    static final int MAX_IDS = 0xF8FF - ID_BASE;

    private final String[] segments;
    private final boolean[] hasOps;
    private final String[] staticHrefs;

    TextTemplate(List<String> segments, List<String> staticHrefs) {
        this.segments = segments.toArray(String[]::new);
        this.hasOps = new boolean[this.segments.length];
        for (int i = 0; i < this.segments.length; i++) {
            String s = this.segments[i];
            for (int k = 0; k < s.length() && !hasOps[i]; k++) {
                char c = s.charAt(k);
                hasOps[i] = c >= OPEN_MARKED && c <= CLOSE_SILENT;
            }
        }
        this.staticHrefs = staticHrefs.toArray(String[]::new);
    }

    int size() {
        return segments.length;
    }

    /** What the finisher saw of one message: segment ids and output spans, in document order. */
    static final class Trace {
        private int[] events = new int[128];
        private int count;
        final java.util.ArrayList<String> hrefs = new java.util.ArrayList<>();

        void segment(int id) {
            add(id, -1);
        }

        void output(int from, int to) {
            add(-from - 1, to);
        }

        private void add(int a, int b) {
            if (count + 2 > events.length) {
                events = java.util.Arrays.copyOf(events, events.length * 2);
            }
            events[count++] = a;
            events[count++] = b;
        }
    }

    /** The text part of one message: {@code html} is the rendered body the trace points into. */
    String text(String html, Trace trace) {
        StringBuilder raw = new StringBuilder(4096);
        int[] linkStart = new int[8];
        String[] linkHref = new String[8];
        int depth = 0;
        int nextHref = 0;
        int[] ev = trace.events;
        for (int e = 0; e < trace.count; e += 2) {
            int a = ev[e];
            if (a < 0) {
                appendOutput(html, -a - 1, ev[e + 1], raw);
                continue;
            }
            String seg = segments[a];
            if (!hasOps[a]) {
                raw.append(seg);
                continue;
            }
            int from = 0;
            for (int k = 0; k < seg.length(); k++) {
                char c = seg.charAt(k);
                if (c < OPEN_MARKED || c > CLOSE_SILENT) {
                    continue;
                }
                raw.append(seg, from, k);
                from = k + 1;
                if (c == OPEN_MARKED || c == OPEN_STATIC) {
                    String href;
                    if (c == OPEN_MARKED) {
                        String v = trace.hrefs.get(nextHref++);
                        href = HtmlFinisher.attributeValue(v);
                    } else {
                        href = staticHrefs[seg.charAt(++k) - ID_BASE];
                        from = k + 1;
                    }
                    if (depth == linkStart.length) {
                        linkStart = java.util.Arrays.copyOf(linkStart, depth * 2);
                        linkHref = java.util.Arrays.copyOf(linkHref, depth * 2);
                    }
                    linkStart[depth] = raw.length();
                    linkHref[depth++] = href;
                } else {
                    String href = linkHref[--depth];
                    linkHref[depth] = null;
                    if (c == CLOSE_EMIT && !href.startsWith("#")
                            && !HtmlText.sameText(raw, Math.min(linkStart[depth], raw.length()), href)) {
                        raw.append(" (").append(href).append(')');
                    }
                }
            }
            raw.append(seg, from, seg.length());
        }
        return HtmlText.tidy(raw);
    }

    /** An escaped output as the text scan reads it: entities decoded, each run of white space one space. */
    private static void appendOutput(String html, int from, int to, StringBuilder out) {
        char[] s = (html.indexOf('&', from, to) < 0 ? html.substring(from, to)
                : Parser.unescapeEntities(html.substring(from, to), false)).toCharArray();
        HtmlText.appendCollapsed(s, 0, s.length, out);
    }
}
