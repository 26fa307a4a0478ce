package io.tessera.testkit;

import io.tessera.delivery.campaign.MessageRenderer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stand-in {@link MessageRenderer} for delivery tests: replaces {@code {{trait}}} in fixed
 * subject, HTML and text with the profile's (HTML-escaped) trait values, and pads the HTML to a
 * given size so message sizes are realistic. Not the content stage's renderer. Thread-safe.
 */
public final class PlainRenderer implements MessageRenderer {

    private final String subject;
    private final String html;
    private final String text;

    public PlainRenderer(String subject, String html, String text, int padHtmlTo) {
        this.subject = subject;
        StringBuilder h = new StringBuilder(html);
        int n = 0;
        while (h.length() < padHtmlTo) {
            h.append("<p>Line ").append(n++).append(" of our autumn selection, picked for {{city}}.</p>\n");
        }
        this.html = h.toString();
        this.text = text;
    }

    public static PlainRenderer standard() {
        return new PlainRenderer("{{firstName}}, your picks for {{city}}",
                "<html><body><h1>Hello {{firstName}}</h1><a href=\"https://shop.example/autumn\">Shop</a>\n",
                "Hello {{firstName}}, new in {{city}}: https://shop.example/autumn", 0);
    }

    @Override
    public Rendered render(Request r) {
        Map<String, Object> traits = r.profile().traitValues();
        String s = fill(r.subjectOverride().orElse(subject), traits, false);
        return new Message(s, "", fill(html, traits, true), fill(text, traits, false), Optional.empty(), Map.of(), List.of());
    }

    private static String fill(String template, Map<String, Object> traits, boolean escape) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        int i = 0;
        while (true) {
            int open = template.indexOf("{{", i);
            if (open < 0) {
                out.append(template, i, template.length());
                return out.toString();
            }
            int close = template.indexOf("}}", open);
            out.append(template, i, open);
            String v = String.valueOf(traits.getOrDefault(template.substring(open + 2, close).strip(), ""));
            out.append(escape ? v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;") : v);
            i = close + 2;
        }
    }
}
