package io.tessera.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The element rules both text scans share: what opens, what an end tag closes, what hides, what
 * must not be left open.
 */
class OpenElementsTest {

    private final List<String> closed = new ArrayList<>();
    private final OpenElements.Closing<String> closing =
            (tag, link, visible) -> closed.add(tag.name() + (link == null ? "" : "=" + link) + (visible ? "" : " (hidden)"));

    private static HtmlTagNames.Tag tag(String name) {
        return HtmlTagNames.of(name, 0, name.length());
    }

    /** Opens {@code <name>} with the given attributes text (the tag is read from its own string). */
    private static void open(OpenElements<String> elements, String name, String link, String attributes) {
        String html = "<" + name + attributes + ">";
        elements.open(tag(name), link, new StartTagAttributes(html, html.toCharArray()), 0, html.length());
    }

    @Test
    void voidSelfClosedAndRawTextElementsOpenNothing() {
        assertThat(OpenElements.start(tag("br"), false)).isEqualTo(OpenElements.Start.NOTHING);
        assertThat(OpenElements.start(tag("div"), true)).isEqualTo(OpenElements.Start.NOTHING);
        assertThat(OpenElements.start(tag("style"), false)).isEqualTo(OpenElements.Start.RAW_TEXT);
        assertThat(OpenElements.start(tag("script"), true)).isEqualTo(OpenElements.Start.NOTHING);
        assertThat(OpenElements.start(tag("div"), false)).isEqualTo(OpenElements.Start.OPENS);
    }

    @Test
    void rawTextEndsAtItsFirstEndTagInAnyCase() {
        String html = "<style>a</b></STYLE>";
        assertThat(OpenElements.rawTextEnd(html, tag("style"), 7)).isEqualTo(12);
        assertThat(OpenElements.rawTextEnd("<title>x</p>", tag("title"), 7)).isEqualTo(-1);
    }

    @Test
    void endTagClosesTheInnermostOfItsNameAndEverythingInside() {
        OpenElements<String> elements = new OpenElements<>();
        open(elements, "div", null, "");
        open(elements, "a", "https://x", "");
        open(elements, "span", null, "");
        open(elements, "b", null, "");
        assertThat(elements.end(tag("a"), closing)).isTrue();
        assertThat(closed).containsExactly("b", "span", "a=https://x");
        assertThat(elements.end(tag("p"), closing)).as("no <p> is open").isFalse();
        assertThat(elements.end(tag("br"), closing)).as("a void end tag is ignored").isTrue();
        assertThat(closed).hasSize(3);
    }

    @Test
    void headOrDisplayNoneHidesUpToItsOwnEnd() {
        OpenElements<String> elements = new OpenElements<>();
        open(elements, "div", null, "");
        open(elements, "td", null, " style=\"Display: None\"");
        assertThat(elements.hidden()).isTrue();
        open(elements, "span", null, " style=\"display:block\"");
        elements.end(tag("td"), closing);
        assertThat(closed).containsExactly("span (hidden)", "td (hidden)");
        assertThat(elements.hidden()).isFalse();
        open(elements, "head", null, "");
        assertThat(elements.hidden()).isTrue();
    }

    @Test
    void endOfDocumentClosesAllAndNamesWhatMustNotBeLeftOpen() {
        OpenElements<String> elements = new OpenElements<>();
        open(elements, "html", null, "");
        open(elements, "div", null, "");
        open(elements, "p", null, "");
        open(elements, "span", null, "");
        assertThat(elements.endOfDocument(closing)).extracting(HtmlTagNames.Tag::name).containsExactly("span", "div");
        assertThat(closed).containsExactly("span", "p", "div", "html");
    }

    @Test
    void aCopyIsIndependentAndComparesByElementsLinksAndHiding() {
        OpenElements<String> elements = new OpenElements<>();
        open(elements, "div", "x", "");
        OpenElements<String> before = elements.copy();
        open(elements, "p", null, "");
        assertThat(elements.sameAs(before)).isFalse();
        elements.end(tag("p"), closing);
        assertThat(elements.sameAs(before)).isTrue();
        open(elements, "p", null, " style=\"display:none\"");
        elements.end(tag("p"), closing);
        assertThat(elements.sameAs(before)).isTrue();
        OpenElements<String> other = new OpenElements<>();
        open(other, "div", "y", "");
        assertThat(other.sameAs(before)).as("another link").isFalse();
    }
}
