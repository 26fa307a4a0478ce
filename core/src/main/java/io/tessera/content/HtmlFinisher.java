package io.tessera.content;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.ParseError;
import org.jsoup.parser.Parser;
import org.jsoup.select.Evaluator;
import org.jsoup.select.NodeVisitor;
import org.jsoup.select.QueryParser;
import org.jsoup.select.Selector;

/**
 * The last HTML pass of a message, on one jsoup parse: CSS inlining, the hidden preheader, link
 * rewriting through the click endpoint, the open pixel, the structural check and the plain-text
 * alternative.
 *
 * <p>CSS inlining copies the declarations of each {@code <style>} rule outside {@code @media}
 * whose selector jsoup can match (no pseudo-classes) into the matching elements' {@code style}
 * attribute, before the element's own declarations (which therefore win); the {@code <style>}
 * element stays for clients that read it (media queries). Specificity between rules is by source
 * order only. Thread-safe: the only state is a concurrent cache of parsed style rules.
 */
final class HtmlFinisher {

    record Finished(String html, String text, List<String> problems) {}

    Finished finish(String html, String preheader, Optional<LinkTracking> tracking, String profileId,
                    String messageId, Instant now) {
        Parser parser = Parser.htmlParser().setTrackErrors(64);
        Document doc = Jsoup.parse(html, "", parser);
        List<String> problems = new ArrayList<>();
        for (ParseError e : parser.getErrors()) {
            String m = e.getErrorMessage();
            if (m.contains("Unexpected EndTag") || m.contains("EOF")) {
                problems.add("broken HTML at " + e.getPosition() + ": " + m);
            }
        }
        inlineCss(doc);
        if (!preheader.isBlank()) {
            Element div = new Element("div").attr("style",
                    "display:none;font-size:1px;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;mso-hide:all;")
                    .text(preheader);
            doc.body().prependChild(div);
        }
        if (tracking.isPresent()) {
            LinkTracking t = tracking.get();
            for (Element a : doc.select("a[href]")) {
                String href = a.attr("href").strip();
                String lower = href.toLowerCase(Locale.ROOT);
                if ((lower.startsWith("http://") || lower.startsWith("https://")) && !a.hasAttr("data-notrack")) {
                    a.attr("href", t.click(profileId, messageId, href, now));
                }
                a.removeAttr("data-notrack");
            }
            doc.body().appendElement("img").attr("src", t.open(profileId, messageId, now))
                    .attr("width", "1").attr("height", "1").attr("alt", "")
                    .attr("style", "display:block;border:0;width:1px;height:1px;");
        }
        doc.outputSettings().prettyPrint(false);
        String text = PlainText.of(doc);
        protectBraces(doc);
        String out = doc.outerHtml().replace(OPEN_BRACE, "&#123;").replace(CLOSE_BRACE, "&#125;");
        return new Finished(out, text, problems);
    }

    private static final String OPEN_BRACE = "\uE002";
    private static final String CLOSE_BRACE = "\uE003";

    /**
     * jsoup writes {@code &#123;} back as a literal brace; braces from data (already escaped when
     * rendered) must stay entities so no later pass — ours or a downstream system's — can read a
     * {@code {{} in a recipient's name as a placeholder. Style and script bodies keep real braces.
     */
    private static void protectBraces(Document doc) {
        doc.traverse((node, depth) -> {
            if (node instanceof TextNode t && node.parent() instanceof Element p
                    && !p.normalName().equals("style") && !p.normalName().equals("script")) {
                String v = t.getWholeText();
                if (v.indexOf('{') >= 0 || v.indexOf('}') >= 0) {
                    t.text(v.replace("{", OPEN_BRACE).replace("}", CLOSE_BRACE));
                }
            } else if (node instanceof Element e) {
                for (org.jsoup.nodes.Attribute a : e.attributes()) {
                    String v = a.getValue();
                    if (v.indexOf('{') >= 0 || v.indexOf('}') >= 0) {
                        a.setValue(v.replace("{", OPEN_BRACE).replace("}", CLOSE_BRACE));
                    }
                }
            }
        });
    }

    /** One inlinable CSS rule: a compiled selector and its declarations (ending in ';'). */
    private record Rule(Evaluator selector, String declarations) {}

    private static final int MAX_CACHED_STYLES = 512;
    private static final Pattern CSS_COMMENT = Pattern.compile("(?s)/\\*.*?\\*/");

    /**
     * Parsed rules per {@code <style>} text. The style text comes from the compiled template, not
     * from recipient data, so this is parsed once per template version; bounded (cleared when full).
     */
    private final Map<String, List<Rule>> rulesByStyle = new ConcurrentHashMap<>();

    /**
     * Copies each rule's declarations into the matching elements in one traversal of the document
     * (instead of one full {@code select} per selector); per element the result is the same as
     * applying the rules one after another in source order.
     */
    private void inlineCss(Document doc) {
        List<Rule> rules = new ArrayList<>();
        for (Element style : doc.select("style")) {
            rules.addAll(rules(style.data()));
        }
        if (rules.isEmpty()) {
            return;
        }
        List<Predicate<Element>> tests = new ArrayList<>(rules.size());
        for (Rule r : rules) {
            tests.add(r.selector().asPredicate(doc));
        }
        StringBuilder prefix = new StringBuilder();
        for (Element e : doc.getAllElements()) {
            prefix.setLength(0);
            for (int i = 0; i < rules.size(); i++) {
                if (tests.get(i).test(e)) {
                    prefix.insert(0, rules.get(i).declarations());
                }
            }
            if (!prefix.isEmpty()) {
                e.attr("style", prefix + e.attr("style"));
            }
        }
    }

    private List<Rule> rules(String styleText) {
        List<Rule> cached = rulesByStyle.get(styleText);
        if (cached != null) {
            return cached;
        }
        if (rulesByStyle.size() >= MAX_CACHED_STYLES) {
            rulesByStyle.clear();
        }
        List<Rule> parsed = List.copyOf(parseRules(styleText));
        rulesByStyle.put(styleText, parsed);
        return parsed;
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
        if (declarations.isEmpty()) {
            return;
        }
        String decl = declarations.endsWith(";") ? declarations : declarations + ";";
        for (String sel : selectors.split(",")) {
            String s = sel.trim();
            if (s.isEmpty() || s.contains(":") || s.contains("@")) {
                continue;
            }
            try {
                rules.add(new Rule(QueryParser.parse(s), decl));
            } catch (Selector.SelectorParseException unsupported) {
                // a selector jsoup cannot match stays in <style> only
            }
        }
    }

    /** The plain-text alternative: visible text, block structure as line breaks, links as "text (url)". */
    static final class PlainText implements NodeVisitor {
        private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f\\r]+");
        private static final Pattern SPACED_NEWLINE = Pattern.compile(" *\n *");
        private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");
        private final StringBuilder out = new StringBuilder();
        private int hiddenDepth = -1;

        static String of(Document doc) {
            PlainText p = new PlainText();
            doc.body().traverse(p);
            String t = SPACES.matcher(p.out).replaceAll(" ");
            t = SPACED_NEWLINE.matcher(t).replaceAll("\n");
            return BLANK_LINES.matcher(t).replaceAll("\n\n").strip() + "\n";
        }

        @Override
        public void head(Node node, int depth) {
            if (hiddenDepth >= 0) {
                return;
            }
            if (node instanceof Element e) {
                String style = e.attr("style").replace(" ", "").toLowerCase(Locale.ROOT);
                String tag = e.normalName();
                if (style.contains("display:none") || tag.equals("style") || tag.equals("script") || tag.equals("head")) {
                    hiddenDepth = depth;
                    return;
                }
                if (tag.equals("br")) {
                    out.append('\n');
                } else if (block(tag)) {
                    out.append('\n');
                }
            } else if (node instanceof TextNode t) {
                out.append(t.text());
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (hiddenDepth >= 0) {
                if (hiddenDepth == depth) {
                    hiddenDepth = -1;
                }
                return;
            }
            if (node instanceof Element e) {
                String tag = e.normalName();
                if (tag.equals("a") && e.hasAttr("href")) {
                    String href = e.attr("href");
                    if (!href.startsWith("#") && !e.text().strip().equals(href)) {
                        out.append(" (").append(href).append(')');
                    }
                } else if (block(tag)) {
                    out.append('\n');
                }
            }
        }

        private static boolean block(String tag) {
            return switch (tag) {
                case "p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "table", "ul", "ol", "hr" -> true;
                default -> false;
            };
        }
    }
}
