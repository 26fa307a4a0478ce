package io.tessera.content.lint;

import io.tessera.content.EmailTemplate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Lints a rendered email and its template before anyone receives it:
 * <ul>
 *   <li>client support — each HTML/CSS feature found in the HTML that caniemail marks as not
 *       (or only partly) supported, with the clients and platforms, e.g. flexbox in Outlook;</li>
 *   <li>size — Gmail clips messages whose HTML exceeds 102 KB (warning from 90 KB);</li>
 *   <li>fallback coverage — every value read from profile, event or feed data has a declared
 *       default or sits in a block with a fallback ({@link #fallbackCoverage}).</li>
 * </ul>
 * Thread-safe.
 */
public final class EmailLint {

    public static final int GMAIL_CLIP_BYTES = 102 * 1024;

    /** One lint finding. @param kind {@code client_support}, {@code size}, {@code fallback_coverage} */
    public record Finding(String kind, String severity, String feature, String message, List<String> clients) {
        public Finding {
            clients = List.copyOf(clients);
        }
    }

    private static final Pattern OUTPUT = Pattern.compile("\\{\\{-?(.*?)-?}}", Pattern.DOTALL);
    private static final Pattern DATA_READ = Pattern.compile("^\\s*((?:profile|event|feed)(?:\\.[A-Za-z0-9_]+)+)");

    private final CanIEmail caniemail;

    public EmailLint(CanIEmail caniemail) {
        this.caniemail = caniemail;
    }

    public List<Finding> lintHtml(String html) {
        List<Finding> out = new ArrayList<>();
        int bytes = html.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > GMAIL_CLIP_BYTES) {
            out.add(new Finding("size", "error", "size", "HTML is " + bytes / 1024 + " KB; Gmail clips messages above 102 KB", List.of("gmail")));
        } else if (bytes > 90 * 1024) {
            out.add(new Finding("size", "warning", "size", "HTML is " + bytes / 1024 + " KB, close to Gmail's 102 KB clipping", List.of("gmail")));
        }
        Document doc = Jsoup.parse(html);
        StringBuilder css = new StringBuilder();
        doc.select("style").forEach(s -> css.append(s.data()).append('\n'));
        doc.select("[style]").forEach(e -> css.append(e.attr("style")).append(";\n"));
        String allCss = css.toString().toLowerCase(Locale.ROOT);
        for (CanIEmail.Feature f : caniemail.features()) {
            if (used(f.slug(), doc, allCss)) {
                List<String> broken = new ArrayList<>();
                List<String> partial = new ArrayList<>();
                for (Map.Entry<String, String> e : f.latest().entrySet()) {
                    if (e.getValue().startsWith("n")) {
                        broken.add(e.getKey());
                    } else if (e.getValue().startsWith("a")) {
                        partial.add(e.getKey());
                    }
                }
                if (!broken.isEmpty()) {
                    out.add(new Finding("client_support", "warning", f.slug(), f.title() + " is not supported in " + broken.size() + " client(s)", broken));
                }
                if (!partial.isEmpty()) {
                    out.add(new Finding("client_support", "info", f.slug(), f.title() + " is only partly supported in " + partial.size() + " client(s)", partial));
                }
            }
        }
        return out;
    }

    /** Whether the HTML uses a caniemail feature (the features we can detect; others are skipped). */
    static boolean used(String slug, Document doc, String css) {
        switch (slug) {
            case "css-display-flex": return css.matches("(?s).*display\\s*:\\s*(inline-)?flex.*");
            case "css-display-grid": return css.matches("(?s).*display\\s*:\\s*(inline-)?grid.*");
            case "css-display-none": return css.matches("(?s).*display\\s*:\\s*none.*");
            case "css-at-media": return css.contains("@media");
            case "css-at-font-face": return css.contains("@font-face");
            case "css-at-import": return css.contains("@import");
            case "css-at-keyframes": return css.contains("@keyframes");
            case "css-important": return css.contains("!important");
            case "css-variables": return css.contains("var(--");
            case "css-linear-gradient": return css.contains("linear-gradient(");
            case "css-radial-gradient": return css.contains("radial-gradient(");
            case "css-unit-calc": return css.contains("calc(");
            case "css-rgba": return css.contains("rgba(");
            case "css-unit-rem": return css.matches("(?s).*\\d(\\.\\d+)?rem\\b.*");
            case "css-unit-vh": return css.matches("(?s).*\\d(\\.\\d+)?vh\\b.*");
            case "css-unit-vw": return css.matches("(?s).*\\d(\\.\\d+)?vw\\b.*");
            case "css-pseudo-class-hover": return css.contains(":hover");
            case "html-srcset": return !doc.select("[srcset]").isEmpty();
            case "html-loading-attribute": return !doc.select("[loading]").isEmpty();
            case "html-background": return !doc.select("[background]").isEmpty();
            case "html-svg", "html-video", "html-audio", "html-form", "html-picture", "html-dialog", "html-marquee",
                 "html-object", "html-textarea", "html-select", "html-progress", "html-meter", "html-base":
                return !doc.select(slug.substring(5)).isEmpty();
            default:
                break;
        }
        if (slug.startsWith("css-") && !slug.startsWith("css-at-") && !slug.startsWith("css-unit-")
                && !slug.startsWith("css-pseudo-") && !slug.startsWith("css-selector-") && !slug.startsWith("css-function-")
                && !slug.startsWith("css-display")) {
            String prop = slug.substring(4);
            return Pattern.compile("(^|[;{\\s])" + Pattern.quote(prop) + "\\s*:").matcher(css).find();
        }
        return false;
    }

    /**
     * The fallback-coverage verdict of one template version — <b>the call the campaign feature
     * makes before attaching a version to a campaign</b>: attach a {@link CoverageVerdict.Covered}
     * version; refuse a {@link CoverageVerdict.Uncovered} one (its {@code reasons()} say which
     * reads lack a default or a fallback block) unless the caller explicitly overrides. Pure and
     * cheap (a scan of the version's sources, no rendering); safe from any thread.
     */
    public static CoverageVerdict checkFallbackCoverage(EmailTemplate version) {
        List<Finding> findings = fallbackCoverage(version);
        return findings.isEmpty() ? new CoverageVerdict.Covered(version.key(), version.version())
                : new CoverageVerdict.Uncovered(version.key(), version.version(), findings);
    }

    /** Whether a template version is safe to send to recipients whose data may be missing. */
    public sealed interface CoverageVerdict {
        String templateKey();

        int version();

        /** Every data read has a default or sits in a block with a fallback. */
        record Covered(String templateKey, int version) implements CoverageVerdict {}

        /** Some reads would show nothing (or an error) for a recipient without that value. */
        record Uncovered(String templateKey, int version, List<Finding> findings) implements CoverageVerdict {
            public Uncovered {
                findings = List.copyOf(findings);
            }

            /** One line per uncovered read, e.g. {@code "block hero reads profile.firstName without a default …"}. */
            public List<String> reasons() {
                return findings.stream().map(Finding::message).toList();
            }
        }
    }

    /**
     * Every output that reads profile, event or feed data must have a {@code default} filter,
     * be a block input with a default, or sit in a block that has a fallback. Returns one finding
     * per uncovered read; an empty list means the version passes.
     */
    public static List<Finding> fallbackCoverage(EmailTemplate t) {
        List<Finding> out = new ArrayList<>();
        uncovered("subject", t.subject(), out);
        uncovered("preheader", t.preheader(), out);
        uncovered("layout", t.layout(), out);
        for (EmailTemplate.Block b : t.blocks()) {
            if (!b.fallback().isBlank()) {
                continue;
            }
            uncovered("block " + b.key(), b.body(), out);
            for (EmailTemplate.Variant v : b.variants()) {
                uncovered("block " + b.key() + " variant " + v.name(), v.body(), out);
            }
        }
        return out;
    }

    private static void uncovered(String where, String source, List<Finding> out) {
        Matcher m = OUTPUT.matcher(source);
        while (m.find()) {
            String expr = m.group(1);
            Matcher read = DATA_READ.matcher(expr);
            if (read.find() && !expr.matches("(?s).*\\|\\s*default\\s*:.*")) {
                out.add(new Finding("fallback_coverage", "error", read.group(1),
                        where + " reads " + read.group(1) + " without a default and outside a block with a fallback", List.of()));
            }
        }
    }

}
