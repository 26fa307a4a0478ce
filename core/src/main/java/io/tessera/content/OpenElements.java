package io.tessera.content;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The open elements of a text scan and the rules that change them. Both ways of making the plain
 * text read HTML by these rules — {@link HtmlText} each message's finished HTML,
 * {@link TextTemplateCompiler} a version's HTML once — and a text template is only right if the
 * two agree, so the rules live here once; each scan keeps only its side effects, given as a
 * {@link Closing} (what closing an element writes) and by asking {@link #hidden()}.
 *
 * <p>The rules (HTML's, cut down to what email HTML needs):
 * <ul>
 *   <li>a void element ({@code <br>}, {@code <img>} …) or a self-closed tag ({@code <x/>}) opens
 *       nothing, and a void element's end tag is ignored;</li>
 *   <li>a raw-text element ({@code <style>}, {@code <script>}, {@code <title>}, {@code <textarea>})
 *       opens nothing either: its content runs to its first end tag ({@link #rawTextEnd});</li>
 *   <li>any other start tag opens an element; {@code <head>}, or an element whose style says
 *       {@code display:none}, opened outside hidden content hides all up to its own end;</li>
 *   <li>a start tag never closes an element implicitly; an end tag closes the innermost open
 *       element of its name and every element inside it, and with none of its name open it closes
 *       nothing and is a structure problem;</li>
 *   <li>at the end of the document every open element closes, innermost first; each whose end tag
 *       HTML does not let be left out is a structure problem.</li>
 * </ul>
 * Each open element carries the scan's link value ({@code L}; null when it is not a link).
 * Mutable; confined to one scan.
 */
final class OpenElements<L> {

    /** What a start tag does to the open elements. */
    enum Start {
        /** A void element or a self-closed tag. */
        NOTHING,
        /** Content up to {@link #rawTextEnd} is not markup; the element does not stay open. */
        RAW_TEXT,
        /** The element is open until its end tag, an outer element's end tag or the document's end. */
        OPENS
    }

    /** What closing an element writes: the scan's side effect. */
    interface Closing<L> {
        /** @param visible false when the element closes in hidden content (the one that hid it included) */
        void closed(HtmlTagNames.Tag tag, L link, boolean visible);
    }

    private HtmlTagNames.Tag[] tags;
    private Object[] links;
    private int depth;
    /** How many elements were open once the hiding element was (it is at index hiddenDepth - 1); -1 when nothing is hidden. */
    private int hiddenDepth = -1;

    OpenElements() {
        this(new HtmlTagNames.Tag[32], new Object[32], 0, -1);
    }

    private OpenElements(HtmlTagNames.Tag[] tags, Object[] links, int depth, int hiddenDepth) {
        this.tags = tags;
        this.links = links;
        this.depth = depth;
        this.hiddenDepth = hiddenDepth;
    }

    static Start start(HtmlTagNames.Tag tag, boolean selfClosed) {
        if (tag.isVoid() || selfClosed) {
            return Start.NOTHING;
        }
        return tag.raw() ? Start.RAW_TEXT : Start.OPENS;
    }

    /** Where the content of the raw-text element {@code tag} starting at {@code from} ends: at its first {@code </name}, any case; -1 if nowhere. */
    static int rawTextEnd(String s, HtmlTagNames.Tag tag, int from) {
        String needle = "</" + tag.name();
        int k = from;
        while ((k = s.indexOf("</", k)) >= 0) {
            if (s.regionMatches(true, k, needle, 0, needle.length())) {
                return k;
            }
            k += 2;
        }
        return -1;
    }

    /** Whether the scan is inside hidden content. */
    boolean hidden() {
        return hiddenDepth >= 0;
    }

    /** Opens the element of the start tag s[from, to) ({@link Start#OPENS}), whose attributes say whether it hides its content. */
    void open(HtmlTagNames.Tag tag, L link, StartTagAttributes attributes, int from, int to) {
        if (depth == tags.length) {
            tags = Arrays.copyOf(tags, depth * 2);
            links = Arrays.copyOf(links, depth * 2);
        }
        tags[depth] = tag;
        links[depth] = link;
        depth++;
        if (hiddenDepth < 0 && (tag.name().equals("head") || attributes.hidesContent(from, to))) {
            hiddenDepth = depth;
        }
    }

    /** The end tag of {@code tag}; false when it closes nothing open (a structure problem). */
    boolean end(HtmlTagNames.Tag tag, Closing<L> closing) {
        if (tag.isVoid()) {
            return true;
        }
        int k = depth - 1;
        while (k >= 0 && !tags[k].name().equals(tag.name())) {
            k--;
        }
        if (k < 0) {
            return false;
        }
        while (depth > k) {
            closeInnermost(closing);
        }
        return true;
    }

    /** Closes every open element at the end of the document; returns those that must not be left open, innermost first. */
    List<HtmlTagNames.Tag> endOfDocument(Closing<L> closing) {
        List<HtmlTagNames.Tag> neverClosed = List.of();
        while (depth > 0) {
            HtmlTagNames.Tag tag = tags[depth - 1];
            if (!tag.optionalEnd()) {
                if (neverClosed.isEmpty()) {
                    neverClosed = new ArrayList<>(2);
                }
                neverClosed.add(tag);
            }
            closeInnermost(closing);
        }
        return neverClosed;
    }

    private void closeInnermost(Closing<L> closing) {
        depth--;
        HtmlTagNames.Tag tag = tags[depth];
        @SuppressWarnings("unchecked")
        L link = (L) links[depth];
        links[depth] = null;
        boolean visible = hiddenDepth < 0;
        if (hiddenDepth == depth + 1) {
            hiddenDepth = -1;
        }
        closing.closed(tag, link, visible);
    }

    /** An independent copy of this state, to come back to or compare with. */
    OpenElements<L> copy() {
        return new OpenElements<>(Arrays.copyOf(tags, tags.length), Arrays.copyOf(links, links.length), depth, hiddenDepth);
    }

    /** Whether the same elements, with the same links (by {@code equals}), are open and the same one hides. */
    boolean sameAs(OpenElements<L> o) {
        return depth == o.depth && hiddenDepth == o.hiddenDepth && Arrays.equals(tags, 0, depth, o.tags, 0, depth)
                && Arrays.equals(links, 0, depth, o.links, 0, depth);
    }
}
