package io.tessera.content;

import ch.digitalfondue.mjml4j.Mjml4j;
import io.tessera.content.liquid.LiquidEngine;
import io.tessera.content.liquid.LiquidTemplate;
import io.tessera.content.liquid.ParseVerdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an {@link EmailTemplate} version into a {@link CompiledEmail}, once per version.
 *
 * <p>Implementation notes: every block variant, default body and fallback is wrapped in marker
 * comments ({@code <!--tessera:b:KEY:PART-->} … {@code <!--tessera:e-->}) and put into the layout's
 * {@code {{ blocks }}} slot; the whole document is compiled by mjml4j in one pass (so every
 * section gets the same responsive and Outlook scaffolding), then prepared once by {@link HtmlPreparer}
 * (CSS inlined, links and the preheader/pixel slots marked) and cut at the markers. Each piece is
 * parsed by the email Liquid dialect (strict, contextually auto-escaped). A problem anywhere
 * refuses the version with every reason found.
 */
public final class EmailCompiler {

    private static final Pattern BLOCK = Pattern.compile("<!--tessera:b:([^:>]+):([a-z0-9]+)-->(.*?)<!--tessera:e-->", Pattern.DOTALL);
    private static final Pattern READ = Pattern.compile("\\{\\{-?\\s*((?:profile|event|feed|traits)(?:\\.[A-Za-z0-9_]+)+)");

    private final LiquidEngine liquid;
    private final ContentCondition.Compiler conditions;
    private final boolean textTemplates;

    public EmailCompiler(LiquidEngine liquid, ContentCondition.Compiler conditions) {
        this(liquid, conditions, true);
    }

    /**
     * @param textTemplates whether versions get their text part made once ({@link TextTemplate});
     *                      false scans every message's HTML (the reference tests and benchmarks compare with)
     */
    public EmailCompiler(LiquidEngine liquid, ContentCondition.Compiler conditions, boolean textTemplates) {
        this.textTemplates = textTemplates;
        if (!liquid.escapes()) {
            throw new IllegalArgumentException("email templates need the escaping (email) Liquid dialect");
        }
        this.liquid = liquid;
        this.conditions = conditions;
    }

    /** The outcome of compiling a version. */
    public sealed interface Verdict {
        record Compiled(CompiledEmail email) implements Verdict {}

        record Invalid(List<String> problems) implements Verdict {}
    }

    public Verdict compile(EmailTemplate t) {
        List<String> problems = new ArrayList<>();
        if (!t.layout().contains(EmailTemplate.BLOCKS_SLOT) && !t.blocks().isEmpty()) {
            problems.add("layout: has no " + EmailTemplate.BLOCKS_SLOT + " slot for its blocks");
        }
        StringBuilder composed = new StringBuilder();
        for (EmailTemplate.Block b : t.blocks()) {
            for (int i = 0; i < b.variants().size(); i++) {
                wrap(composed, t.format(), b.key(), "v" + i, b.variants().get(i).body());
            }
            wrap(composed, t.format(), b.key(), "d", b.body());
            if (!b.fallback().isBlank()) {
                wrap(composed, t.format(), b.key(), "f", b.fallback());
            }
        }
        String source = t.layout().replace(EmailTemplate.BLOCKS_SLOT, composed);
        String html;
        if (t.format() == EmailTemplate.Format.MJML) {
            try {
                html = Mjml4j.render(source);
            } catch (RuntimeException e) {
                problems.add("mjml: " + e.getMessage());
                return new Verdict.Invalid(problems);
            }
        } else {
            html = source;
        }
        html = HtmlPreparer.prepare(html);
        LiquidTemplate subject = text("subject", t.subject(), problems);
        LiquidTemplate preheader = text("preheader", t.preheader(), problems);
        Map<String, EmailTemplate.Block> blocks = t.blocksByKey();
        // the document in order: layout HTML (String) and block slots (SlotRef, at their first part)
        Map<String, Map<String, String>> partSources = new HashMap<>();
        List<Object> order = new ArrayList<>();
        Matcher m = BLOCK.matcher(html);
        int last = 0;
        StringBuilder pending = new StringBuilder();
        while (m.find()) {
            pending.append(html, last, m.start());
            String key = m.group(1);
            if (!partSources.containsKey(key)) {
                if (!pending.isEmpty()) {
                    order.add(pending.toString());
                    pending.setLength(0);
                }
                order.add(new SlotRef(key));
            }
            partSources.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(m.group(2), m.group(3));
            last = m.end();
        }
        pending.append(html, last, html.length());
        if (!pending.isEmpty()) {
            order.add(pending.toString());
        }
        Optional<TextTemplate> textTemplate = Optional.empty();
        if (textTemplates) {
            List<TextTemplateCompiler.Part> parts = new ArrayList<>();
            for (Object o : order) {
                parts.add(o instanceof String layout ? new TextTemplateCompiler.Part.Layout(layout)
                        : new TextTemplateCompiler.Part.Choice(List.copyOf(partSources.get(((SlotRef) o).key()).values())));
            }
            var dd = TextTemplateCompiler.derive(parts, liquid.engineName().equals("compiled"));
            if (dd instanceof TextTemplateCompiler.Derivation.Derived d) {
                textTemplate = Optional.of(d.template());
                for (int i = 0; i < order.size(); i++) {
                    switch (d.parts().get(i)) {
                        case TextTemplateCompiler.Part.Layout l -> order.set(i, l.source());
                        case TextTemplateCompiler.Part.Choice c -> {
                            Map<String, String> sources = partSources.get(((SlotRef) order.get(i)).key());
                            int k = 0;
                            for (Map.Entry<String, String> e : sources.entrySet()) {
                                e.setValue(c.alternatives().get(k++));
                            }
                        }
                    }
                }
            }
        }
        List<CompiledEmail.Piece> pieces = new ArrayList<>();
        for (Object o : order) {
            if (o instanceof String layout) {
                pieces.add(new CompiledEmail.Static(html("layout", layout, problems)));
                continue;
            }
            String key = ((SlotRef) o).key();
            Map<String, LiquidTemplate> parsed = new HashMap<>();
            partSources.get(key).forEach((part, src) -> parsed.put(part, html(key + "/" + part, src, problems)));
            pieces.add(slot(blocks.get(key), parsed, problems));
        }
        Optional<CompiledEmail.CompiledAmp> amp = t.amp().map(a -> new CompiledEmail.CompiledAmp(a.css(),
                html("amp header", a.header(), problems), a.item(), html("amp fallback", a.fallback(), problems),
                html("amp footer", a.footer(), problems), a.height()));
        if (t.amp().isPresent() && (t.amp().get().height() < 1 || t.amp().get().height() > 5000)) {
            problems.add("amp: height must be 1..5000 px");
        }
        if (!problems.isEmpty()) {
            return new Verdict.Invalid(problems);
        }
        return new Verdict.Compiled(new CompiledEmail(t.key(), t.version(), subject, preheader, pieces, readPaths(t), amp,
                textTemplate));
    }

    private record SlotRef(String key) {}

    private CompiledEmail.Slot slot(EmailTemplate.Block b, Map<String, LiquidTemplate> parts, List<String> problems) {
        List<CompiledEmail.CompiledVariant> variants = new ArrayList<>();
        for (int i = 0; i < b.variants().size(); i++) {
            EmailTemplate.Variant v = b.variants().get(i);
            ContentCondition c = switch (conditions.compile(v.condition())) {
                case ContentCondition.ConditionVerdict.Compiled cc -> cc.condition();
                case ContentCondition.ConditionVerdict.Invalid inv -> {
                    problems.add("block " + b.key() + " variant " + v.name() + ": invalid condition: " + inv.message());
                    yield (p, now) -> false;
                }
            };
            variants.add(new CompiledEmail.CompiledVariant(v.name(), c, parts.get("v" + i)));
        }
        return new CompiledEmail.Slot(b.key(), b.inputs(), variants, parts.get("d"), Optional.ofNullable(parts.get("f")));
    }

    private static void wrap(StringBuilder out, EmailTemplate.Format f, String key, String part, String body) {
        String open = "<!--tessera:b:" + key + ":" + part + "-->";
        String close = "<!--tessera:e-->";
        if (f == EmailTemplate.Format.MJML) {
            out.append("<mj-raw>").append(open).append("</mj-raw>\n").append(body).append("\n<mj-raw>").append(close).append("</mj-raw>\n");
        } else {
            out.append(open).append(body).append(close);
        }
    }

    private LiquidTemplate html(String where, String source, List<String> problems) {
        return switch (liquid.parse(source)) {
            case ParseVerdict.Parsed p -> p.template();
            case ParseVerdict.Invalid i -> {
                problems.add(where + ": " + i.code() + ": " + i.message());
                yield liquid.parse("").orThrow();
            }
        };
    }

    private LiquidTemplate text(String where, String source, List<String> problems) {
        return switch (liquid.parseText(source)) {
            case ParseVerdict.Parsed p -> p.template();
            case ParseVerdict.Invalid i -> {
                problems.add(where + ": " + i.code() + ": " + i.message());
                yield liquid.parse("").orThrow();
            }
        };
    }

    /** Every data path the template reads directly ({@code profile.x}, {@code event.y} …), for lint. */
    static List<String> readPaths(EmailTemplate t) {
        Set<String> paths = new LinkedHashSet<>();
        collect(t.subject(), paths);
        collect(t.preheader(), paths);
        collect(t.layout(), paths);
        for (EmailTemplate.Block b : t.blocks()) {
            collect(b.body(), paths);
            b.variants().forEach(v -> collect(v.body(), paths));
        }
        return List.copyOf(paths);
    }

    private static void collect(String source, Set<String> into) {
        Matcher m = READ.matcher(source);
        while (m.find()) {
            into.add(m.group(1));
        }
    }
}
