package io.tessera.content;

import io.tessera.content.liquid.Escapes;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import org.jsoup.parser.Parser;

/**
 * The per-message HTML pass, by splicing — the version's HTML was prepared once by
 * {@link HtmlPreparer} (CSS inlined, links and slots marked): the hidden preheader goes into its
 * slot, each marked {@code http(s)} link becomes its signed click URL, the open pixel goes into
 * its slot; then one scan ({@link HtmlText}) checks the structure and writes the plain-text
 * alternative. No HTML parser runs per message. Stateless and thread-safe.
 */
final class HtmlFinisher {

    private static final String PREHEADER_STYLE =
            "display:none;font-size:1px;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;mso-hide:all;";

    private static final TextBuffers OUTS = new TextBuffers();

    record Finished(String html, String text, List<String> problems) {}

    Finished finish(String html, String preheader, Optional<LinkTracking> tracking, String profileId,
                    String messageId, Instant now) {
        return finish(html, preheader, tracking, profileId, messageId, now, Optional.empty());
    }

    /**
     * With a text template the HTML carries its segment and output markers: they are dropped from
     * the HTML and traced, and the text part is put together from them ({@link TextTemplate})
     * instead of scanning the finished HTML; the version was proved well formed when it was compiled.
     */
    Finished finish(String html, String preheader, Optional<LinkTracking> tracking, String profileId,
                    String messageId, Instant now, Optional<TextTemplate> textTemplate) {
        // a UTF-16 buffer reused per thread (TextBuffers): the body is UTF-16 (its markers are
        // not Latin-1; nor is "€" or "★"), and the string it makes is the same either way
        StringBuilder out = OUTS.take(html.length() + 2048);
        int n = html.length();
        int from = 0;
        int nextLink = html.indexOf(Escapes.LINK_START);
        int preheaderAt = html.indexOf(Escapes.PREHEADER_SLOT);
        int pixelAt = html.indexOf(Escapes.PIXEL_SLOT);
        TextTemplate.Trace trace = textTemplate.isPresent() ? new TextTemplate.Trace() : null;
        int segmentAt = trace == null ? -1 : html.indexOf(Escapes.SEGMENT);
        int outputAt = trace == null ? -1 : html.indexOf(Escapes.OUTPUT);
        int hrefAt = trace == null ? -1 : html.indexOf(Escapes.HREF_START);
        Map<String, String> clicks = null;
        while (true) {
            int i = min(min(nextLink, segmentAt), min(min(preheaderAt, pixelAt), min(outputAt, hrefAt)));
            if (i < 0) {
                break;
            }
            out.append(html, from, i);
            from = i + 1;
            if (i == segmentAt) {
                trace.segment(html.charAt(i + 1) - TextTemplate.ID_BASE);
                from = i + 2;
                segmentAt = html.indexOf(Escapes.SEGMENT, from);
            } else if (i == outputAt) {
                // an output in text ends where the segment after it starts
                trace.output(i + 1, segmentAt);
                outputAt = html.indexOf(Escapes.OUTPUT, i + 1);
            } else if (i == hrefAt) {
                int end = html.indexOf(Escapes.HREF_END, i + 1);
                String value = html.substring(i + 1, end);
                out.append(value);
                trace.hrefs.add(value);
                from = end + 1;
                hrefAt = html.indexOf(Escapes.HREF_START, from);
            } else if (i == preheaderAt) {
                preheaderAt = html.indexOf(Escapes.PREHEADER_SLOT, i + 1);
                if (!preheader.isBlank()) {
                    out.append("<div style=\"").append(PREHEADER_STYLE).append("\">")
                            .append(Escapes.html(preheader)).append("</div>");
                }
            } else if (i == pixelAt) {
                pixelAt = html.indexOf(Escapes.PIXEL_SLOT, i + 1);
                if (tracking.isPresent()) {
                    out.append("<img src=\"").append(attr(tracking.get().open(profileId, messageId, now)))
                            .append("\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0;width:1px;height:1px;\">");
                }
            } else {
                int end = html.indexOf(Escapes.LINK_END, i + 1);
                nextLink = html.indexOf(Escapes.LINK_START, i + 1);
                if (end < 0 || (nextLink >= 0 && nextLink < end)) {
                    continue; // a stray marker (from HTML output with | safe) is dropped
                }
                String value = html.substring(i + 1, end);
                // decoded only to be signed: without tracking (delivery signs links after rendering) the value is kept as is
                String url = tracking.isPresent() ? attributeValue(value).strip() : "";
                if (tracking.isPresent() && isHttp(url)) {
                    // a token depends only on (recipient, message, URL, expiry): a URL linked twice
                    // (a product's image and title) is signed once
                    if (clicks == null) {
                        clicks = new HashMap<>();
                    }
                    String signed = clicks.computeIfAbsent(url, u -> attr(tracking.get().click(profileId, messageId, u, now)));
                    out.append(signed);
                    if (trace != null) {
                        trace.hrefs.add(signed);
                    }
                } else {
                    out.append(value);
                    if (trace != null) {
                        trace.hrefs.add(value);
                    }
                }
                from = end + 1;
            }
        }
        out.append(html, from, n);
        String finished = out.toString();
        OUTS.give(out);
        if (trace != null) {
            return new Finished(finished, textTemplate.get().text(html, trace), List.of());
        }
        HtmlText.Scan scan = HtmlText.scan(finished);
        return new Finished(finished, scan.text(), scan.problems());
    }

    private static boolean isHttp(String url) {
        String lower = url.length() > 8 ? url.substring(0, 8).toLowerCase(Locale.ROOT) : url.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /**
     * An attribute value with its character references decoded, as {@code Parser.unescapeEntities(value, true)}
     * decodes it. The common case — no reference, or only {@code &amp;} (a query string) — is a
     * plain replace: jsoup's decoder was ~2% of a campaign's Java samples (JFR, docs/BENCHMARKS.md
     * "Delivery CPU, session 7").
     */
    static String attributeValue(String value) {
        int amp = value.indexOf('&');
        if (amp < 0) {
            return value;
        }
        for (int k = amp; k >= 0; k = value.indexOf('&', k + 1)) {
            if (!value.startsWith("&amp;", k)) {
                return Parser.unescapeEntities(value, true);
            }
        }
        return value.replace("&amp;", "&");
    }

    /** The smaller of two indexes where -1 means none. */
    private static int min(int a, int b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    private static String attr(String url) {
        return url.indexOf('&') < 0 && url.indexOf('"') < 0 ? url : url.replace("&", "&amp;").replace("\"", "&quot;");
    }
}
