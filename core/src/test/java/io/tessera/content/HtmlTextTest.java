package io.tessera.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The in-place text scan gives exactly the text and problems of the first version
 * ({@link HtmlTextReference}) on random soups of the constructs email HTML is made of — and of
 * the ones it should never contain (cut-off tags, stray end tags, odd quotes, upper case).
 */
class HtmlTextTest {

    private static final String[] PIECES = {"<p>", "</p>", "<div>", "</div>", "<DIV class=\"x\">", "<a href=\"https://a.example/x?a=1&amp;b=2\">",
            "<a HREF='https://b.example/'>", "<a href=https://c.example/>", "<a href=\"#top\">", "</a>", "</A>", "<br>", "<br/>", "<BR />",
            "<img src=\"x.png\" alt=\"\">", "<hr>", "<table>", "</table>", "<tr>", "</tr>", "<td style=\"padding:0\">", "</td>",
            "<span style=\"display: NONE\">", "<span style=\"display:block\">", "<span style=\"ddisplay:none\">", "</span>",
            "<div style=\"Display:None;mso-hide:all\">", "<div style=\"display:&#110;one\">", "<div title=\"a > b\" style=\"color:red\">",
            "<style>p{color:red}</style>", "<STYLE>x</STYLE>", "<script>if (a < b) {}</script>", "<title>T</title>",
            "<textarea>typed &amp; kept</textarea>", "<!-- comment -->", "<!DOCTYPE html>", "<?xml x?>", "<head>", "</head>",
            "<body>", "</body>", "<html>", "</html>", "<o:p>", "</o:p>", "<center>", "</center>", "<font face=\"Arial\">",
            "</font>", "<li>", "<ul>", "</ul>", "<h1>", "</h1>", "<b>", "</b>", "</i>", "<section data-x='it''s'>", "</section>",
            "Hello", " world ", "  ", "\n", "\t", "&amp;", "&lt;x&gt;", "&nbsp;", "\u00A0", "é", "😀", "<", ">", "=", "\"", "'",
            "https://a.example/x?a=1&b=2", "Zoë", "<ſpan>", "</ſpan>", "<KELVIN\u212A>", "<div  style = \"display:none\" >",
            "<a class=\"href\" href=\"https://d.example\">", "<td class=\"style\" style=\"display:none\">", "<p/>", "<!--", "<a"};

    @Test
    void scansRandomHtmlExactlyLikeTheFirstVersion() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int round = 0; round < 2000; round++) {
            StringBuilder html = new StringBuilder();
            int n = rnd.nextInt(60);
            for (int i = 0; i < n; i++) {
                html.append(PIECES[rnd.nextInt(PIECES.length)]);
            }
            String h = html.toString();
            HtmlText.Scan mine = HtmlText.scan(h);
            HtmlTextReference.Scan reference = HtmlTextReference.scan(h);
            assertThat(mine.text()).as("seed %d, html %s", seed, h).isEqualTo(reference.text());
            assertThat(mine.problems()).as("seed %d, html %s", seed, h).isEqualTo(reference.problems());
        }
    }
}
