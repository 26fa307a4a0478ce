package io.tessera.opentime.amp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;

/**
 * An offline checker for the AMP4EMAIL rules our composer's output can touch, driven by the
 * official validator rule file ({@code validator-all.protoascii}, the {@code html_format: AMP4EMAIL}
 * tag specs and attribute lists). It is not the AMP validator: no registry package ships one that
 * works offline (see docs/OPEN-TIME.md). What it checks, with the validator's error codes:
 * DISALLOWED_TAG, DISALLOWED_ATTR, MANDATORY_ATTR_MISSING (tags with one spec),
 * DISALLOWED_TAG_ANCESTOR, MANDATORY_TAG_MISSING (the AMP4EMAIL skeleton),
 * MISSING_REQUIRED_EXTENSION, INVALID_URL_PROTOCOL / DISALLOWED_RELATIVE_URL on amp-list and
 * amp-img sources, mustache in amp-list {@code src}, DISALLOWED_SCRIPT_TAG, the boilerplate's
 * exact text, unescaped mustache and partials in attribute values, duplicate html/head/body,
 * and the CSS rules of {@link Amp4EmailCss}. Its agreement with the validator's own PASS/FAIL on the
 * 78 reference documents is measured in its test. Immutable after construction; thread-safe.
 */
public final class Amp4EmailChecker {
    private record Spec(Set<String> attrs, Set<String> mandatory, Set<String> disallowedAncestors, List<String> extensions,
                        Map<String, Set<String>> urlProtocols, Set<String> layouts) {}

    private final Map<String, List<Spec>> specs = new HashMap<>();
    private final Set<String> globalAttrs = new HashSet<>();
    /** Attributes of reference points (amp-selector options …), accepted anywhere: an approximation. */
    private final Set<String> referencePointAttrs = new HashSet<>();

    /** @param rules the text of validator-all.protoascii */
    public Amp4EmailChecker(String rules) {
        ProtoText root = ProtoText.parse(rules);
        Map<String, Set<String>> lists = new HashMap<>();
        for (ProtoText list : root.messages("attr_lists")) {
            Set<String> names = new HashSet<>();
            list.messages("attrs").forEach(a -> names.add(a.string("name")));
            lists.put(list.string("name"), names);
        }
        globalAttrs.addAll(lists.getOrDefault("$GLOBAL_ATTRS", Set.of()));
        for (ProtoText tag : root.messages("tags")) {
            if (!tag.strings("html_format").contains("AMP4EMAIL") && !tag.fields().stream()
                    .anyMatch(e -> e.getKey().equals("html_format") && "AMP4EMAIL".equals(e.getValue()))) {
                continue;
            }
            Set<String> attrs = new HashSet<>();
            Set<String> mandatory = new HashSet<>();
            Map<String, Set<String>> protocols = new HashMap<>();
            for (ProtoText a : tag.messages("attrs")) {
                attrs.add(a.string("name"));
                a.messages("value_url").forEach(u -> protocols.put(a.string("name"), Set.copyOf(u.strings("protocol"))));
                if ("true".equals(String.valueOf(a.fields().stream().filter(e -> e.getKey().equals("mandatory"))
                        .map(Map.Entry::getValue).findFirst().orElse("")))) {
                    mandatory.add(a.string("name"));
                }
            }
            for (String list : tag.strings("attr_lists")) {
                attrs.addAll(lists.getOrDefault(list, Set.of()));
            }
            Set<String> layouts = new HashSet<>();
            tag.messages("amp_layout").forEach(l -> {
                attrs.addAll(List.of("layout", "width", "height", "sizes", "heights"));
                l.strings("supported_layouts").forEach(x -> layouts.add(x.toLowerCase(Locale.ROOT).replace('_', '-')));
            });
            if (!tag.messages("extension_spec").isEmpty()) {  // the validator implies these for extension scripts
                attrs.addAll(List.of("async", "src", "type", "custom-element", "custom-template"));
            }
            String name = tag.string("tag_name").toLowerCase(Locale.ROOT);
            if (name.equals("html")) {  // hard-coded in the validator, not in the rule file
                attrs.addAll(List.of("⚡4email", "amp4email", "data-css-strict", "lang", "dir"));
            }
            if (name.startsWith("$reference_point")) {
                referencePointAttrs.addAll(attrs);
                continue;
            }
            specs.computeIfAbsent(name, k -> new ArrayList<>()).add(new Spec(attrs, mandatory,
                    Set.copyOf(tag.strings("disallowed_ancestor").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()),
                    tag.strings("requires_extension"), protocols, layouts));
        }
    }

    private static Set<String> common(List<Spec> specs, java.util.function.Function<Spec, Set<String>> part) {
        Set<String> out = new HashSet<>(part.apply(specs.get(0)));
        specs.forEach(s -> out.retainAll(part.apply(s)));
        return out;
    }

    /** The layout attribute against the tag's supported layouts; width and height units of a responsive layout. */
    private static void layout(Element e, List<Spec> candidates, List<String> errors) {
        Set<String> supported = new HashSet<>();
        candidates.forEach(s -> supported.addAll(s.layouts()));
        if (supported.isEmpty()) {
            return;
        }
        String layout = e.attr("layout").trim().toLowerCase(Locale.ROOT);
        if (!layout.isEmpty() && !supported.contains(layout)) {
            errors.add("SPECIFIED_LAYOUT_INVALID");
        }
        if (layout.equals("responsive") && e.hasAttr("width") && e.hasAttr("height")
                && !unit(e.attr("width")).equals(unit(e.attr("height")))) {
            errors.add("INCONSISTENT_UNITS_FOR_WIDTH_AND_HEIGHT");
        }
    }

    private static String unit(String length) {
        String u = length.trim().toLowerCase(Locale.ROOT).replaceFirst("^[0-9.]+", "");
        return u.isEmpty() ? "px" : u;
    }

    /** The error codes found, in document order; empty means the document passes this checker. */
    public List<String> check(String html) {
        List<String> errors = new ArrayList<>();
        Document doc = Jsoup.parse(html, "", Parser.htmlParser());
        Element htmlEl = doc.selectFirst("html");
        if (htmlEl == null || !(htmlEl.hasAttr("⚡4email") || htmlEl.hasAttr("amp4email"))
                || doc.selectFirst("head > meta[charset=utf-8]") == null
                || doc.selectFirst("head > script[src=https://cdn.ampproject.org/v0.js]") == null
                || doc.selectFirst("head > style[amp4email-boilerplate]") == null) {
            errors.add("MANDATORY_TAG_MISSING");
        }
        Set<String> extensions = new HashSet<>();
        for (Element s : doc.select("script[custom-element], script[custom-template]")) {
            extensions.add(s.hasAttr("custom-element") ? s.attr("custom-element") : s.attr("custom-template"));
        }
        for (Element e : doc.getAllElements()) {
            String tag = e.normalName();
            if (tag.equals("#root")) {
                continue;
            }
            List<Spec> candidates = specs.get(tag);
            if (candidates == null) {
                errors.add(tag.equals("script") ? "DISALLOWED_SCRIPT_TAG" : "DISALLOWED_TAG");
                continue;
            }
            if (tag.equals("script") && !e.hasAttr("src") && !"application/json".equals(e.attr("type"))) {
                errors.add("DISALLOWED_SCRIPT_TAG");
            }
            for (Attribute a : e.attributes()) {
                String n = a.getKey().toLowerCase(Locale.ROOT);
                boolean known = globalAttrs.contains(n) || referencePointAttrs.contains(n) || n.startsWith("data-") || n.startsWith("aria-")
                        || (n.startsWith("[") && n.endsWith("]"))
                        || candidates.stream().anyMatch(s -> s.attrs().contains(n));
                if (!known) {
                    errors.add("DISALLOWED_ATTR");
                }
                if (n.contains("{{")) {
                    errors.add("TEMPLATE_IN_ATTR_NAME");
                }
            }
            // Where a tag has several specs we cannot tell which one applies; enforce only what all agree on.
            for (String m : common(candidates, Spec::mandatory)) {
                if (!e.hasAttr(m)) {
                    errors.add("MANDATORY_ATTR_MISSING");
                }
            }
            for (Element anc : e.parents()) {
                if (common(candidates, Spec::disallowedAncestors).contains(anc.normalName())) {
                    errors.add("DISALLOWED_TAG_ANCESTOR");
                }
            }
            for (String ext : common(candidates, s -> Set.copyOf(s.extensions()))) {
                if (!extensions.contains(ext)) {
                    errors.add("MISSING_REQUIRED_EXTENSION");
                }
            }
            for (Attribute a : e.attributes()) {
                Set<String> allowed = new HashSet<>();
                candidates.forEach(s -> allowed.addAll(s.urlProtocols().getOrDefault(a.getKey(), Set.of())));
                String v = a.getValue().trim().toLowerCase(Locale.ROOT);
                int colon = v.indexOf(':');
                if (!allowed.isEmpty() && colon > 0 && !v.startsWith("{{") && v.substring(0, colon).matches("[a-z][a-z0-9+.-]*")
                        && !allowed.contains(v.substring(0, colon))) {
                    errors.add("INVALID_URL_PROTOCOL");
                }
                if (!allowed.isEmpty() && tag.equals("a") && a.getKey().equals("href")) {
                    if (v.isEmpty()) {
                        errors.add("MISSING_URL");
                    } else if (!v.contains("{{") && !v.startsWith("#") && !v.matches("[a-z][a-z0-9+.-]*:.*")) {
                        errors.add("DISALLOWED_RELATIVE_URL");
                    }
                }
            }
            layout(e, candidates, errors);
            if ((tag.equals("amp-list") || tag.equals("amp-img")) && e.hasAttr("src")) {
                String src = e.attr("src");
                boolean insideTemplate = !e.parents().select("template").isEmpty();
                if (tag.equals("amp-list") && (src.contains("{{") || src.contains("__amp_source_origin"))) {
                    errors.add("INVALID_ATTR_VALUE");
                } else if (!src.startsWith("{{") || !insideTemplate) {
                    String lower = src.toLowerCase(Locale.ROOT);
                    if (!lower.contains(":")) {
                        errors.add("DISALLOWED_RELATIVE_URL");
                    } else if (!lower.startsWith("https:")) {
                        errors.add("INVALID_URL_PROTOCOL");
                    }
                }
            }
        }
        for (Element style : doc.select("style[amp-custom]")) {
            Amp4EmailCss.checkStylesheet(style.data(), errors);
        }
        for (Element styled : doc.select("[style]")) {
            Amp4EmailCss.checkInline(styled.attr("style"), errors);
        }
        for (Element boilerplate : doc.select("style[amp4email-boilerplate]")) {
            // the current validator also accepts an empty boilerplate (but not whitespace)
            if (!boilerplate.data().isEmpty() && !boilerplate.data().trim().equals("body{visibility:hidden}")) {
                errors.add("MANDATORY_CDATA_MISSING_OR_INCORRECT");
            }
        }
        for (Element e : doc.getAllElements()) {
            for (Attribute a : e.attributes()) {
                if (a.getValue().contains("{{{")) {
                    errors.add("UNESCAPED_TEMPLATE_IN_ATTR_VALUE");
                }
                if (a.getValue().matches("(?s).*\\{\\{\\s*>.*")) {
                    errors.add("TEMPLATE_PARTIAL_IN_ATTR_VALUE");
                }
            }
        }
        for (String unique : List.of("html", "head", "body")) {
            if (java.util.regex.Pattern.compile("<" + unique + "[\\s>]", java.util.regex.Pattern.CASE_INSENSITIVE).matcher(html)
                    .results().count() > 1) {
                errors.add("DUPLICATE_UNIQUE_TAG");
            }
        }
        return errors;
    }
}
