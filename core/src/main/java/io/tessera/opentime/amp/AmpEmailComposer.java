package io.tessera.opentime.amp;

import java.net.URI;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Safelist;

/**
 * Writes the {@code text/x-amp-html} part of a message: a complete AMP4EMAIL document whose one
 * {@code amp-list} fetches the message's open-time feed, renders it with amp-mustache, and shows
 * the fallback when the fetch fails.
 *
 * <p>Template HTML is passed through an allow-list of tags and attributes AMP4EMAIL accepts
 * (no scripts, forms, iframes, {@code style} attributes or {@code img}; {@code amp-img} with
 * explicit width and height), so whatever the author wrote, the output stays inside the subset
 * {@link Amp4EmailChecker} verifies. CSS is dropped if it uses {@code !important}, {@code @import}
 * or exceeds the 75,000-byte limit. Stateless and thread-safe.
 */
public final class AmpEmailComposer {
    private static final int MAX_CSS_BYTES = 75_000;

    private static final Safelist SAFE = Safelist.relaxed()
            .removeTags("img")
            .addTags("amp-img", "section", "header", "footer", "article", "hr")
            .addAttributes("amp-img", "src", "width", "height", "alt", "layout")
            .addAttributes(":all", "class", "id")
            .removeProtocols("a", "href", "ftp", "http", "https", "mailto");  // checked below, so {{url}} survives

    /** The AMP document for a message whose feed is served at {@code feedUrl} (absolute HTTPS). */
    public String compose(AmpFeedBlock block, String feedUrl) {
        URI u = URI.create(feedUrl);
        if (!"https".equals(u.getScheme()) || feedUrl.contains("{{") || feedUrl.contains("__amp_source_origin")) {
            throw new IllegalArgumentException("the amp-list feed URL must be absolute HTTPS without templates: " + feedUrl);
        }
        StringBuilder out = new StringBuilder(2048);
        out.append("<!doctype html>\n<html ⚡4email data-css-strict>\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<script async src=\"https://cdn.ampproject.org/v0.js\"></script>\n")
                .append("<script async custom-element=\"amp-list\" src=\"https://cdn.ampproject.org/v0/amp-list-0.1.js\"></script>\n")
                .append("<script async custom-template=\"amp-mustache\" src=\"https://cdn.ampproject.org/v0/amp-mustache-0.2.js\"></script>\n")
                .append("<style amp4email-boilerplate>body{visibility:hidden}</style>\n");
        String css = safeCss(block.css());
        if (!css.isEmpty()) {
            out.append("<style amp-custom>").append(css).append("</style>\n");
        }
        out.append("</head>\n<body>\n")
                .append(clean(block.headerHtml()))
                .append("<amp-list src=\"").append(attr(feedUrl)).append("\" layout=\"fixed-height\" height=\"")
                .append(block.height()).append("\" binding=\"no\">\n")
                .append("<template type=\"amp-mustache\">\n").append(clean(block.itemTemplate())).append("\n</template>\n")
                .append("<div fallback>").append(clean(block.fallbackHtml())).append("</div>\n")
                .append("</amp-list>\n")
                .append(clean(block.footerHtml()))
                .append("</body>\n</html>\n");
        return out.toString();
    }

    private static String clean(String html) {
        Document doc = Jsoup.parseBodyFragment(html);
        doc.outputSettings().prettyPrint(false);
        String cleaned = Jsoup.clean(doc.body().html(), "", SAFE, doc.outputSettings());
        Document d = Jsoup.parseBodyFragment(cleaned);
        d.outputSettings().prettyPrint(false);
        for (Element img : d.select("amp-img")) {
            if (!img.hasAttr("width") || !img.hasAttr("height")) {
                img.remove();  // AMP needs explicit dimensions; an unsized image would fail validation
            } else if (!img.hasAttr("layout")) {
                img.attr("layout", "responsive");
            }
        }
        for (Element a : d.select("a[href]")) {
            String href = a.attr("href").toLowerCase(Locale.ROOT);
            if (!(href.startsWith("https:") || href.startsWith("mailto:") || href.startsWith("{{"))) {
                a.removeAttr("href");
            }
        }
        return d.body().html();
    }

    private static String safeCss(String css) {
        if (css == null || css.isBlank()) {
            return "";
        }
        String lower = css.toLowerCase(Locale.ROOT);
        if (lower.contains("!important") || lower.contains("@import") || lower.contains("</style")
                || lower.contains("-amp-") || lower.contains("i-amphtml")
                || css.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_CSS_BYTES) {
            return "";
        }
        return css;
    }

    private static String attr(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }
}
