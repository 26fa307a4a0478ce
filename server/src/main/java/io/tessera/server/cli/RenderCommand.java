package io.tessera.server.cli;

import io.tessera.content.CompiledEmail;
import io.tessera.content.EmailCompiler;
import io.tessera.content.EmailRenderer;
import io.tessera.content.EmailTemplate;
import io.tessera.content.RenderErrors;
import io.tessera.content.RenderedMessage;
import io.tessera.content.SegmentContentConditions;
import io.tessera.content.liquid.EmailFilters;
import io.tessera.content.liquid.LiquidEngine;
import io.tessera.content.liquid.ParseVerdict;
import io.tessera.content.liquid.RenderOutcome;
import io.tessera.content.liquid.SnippetSource;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import io.tessera.profile.TraitValue;
import io.tessera.server.content.TemplateDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code tessera render TEMPLATE --data DATA.json}: renders one Liquid template to stdout with
 * standard Liquid semantics (Shopify's reference behaviour, no escaping); {@code render 'x'} and
 * {@code include 'x'} read {@code x.liquid} (or {@code x}) beside the template. With {@code --email}
 * the template (a file, or a template directory with {@code template.json}) goes through the email
 * pipeline instead: auto-escaping, MJML, blocks, fallbacks and the final check; the data's
 * {@code profile} object becomes the recipient's traits and its other keys extra variables.
 * Exit code 1 with the reason on stderr when the template is invalid or the message is refused.
 */
@Command(name = "render", description = "Render a Liquid template with JSON data to stdout.")
public final class RenderCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TEMPLATE")
    Path template;

    @Option(names = "--data", paramLabel = "DATA.json", description = "variables (a JSON object)")
    Optional<Path> data;

    @Option(names = "--email", description = "render through the email pipeline (escaping, MJML, fallbacks)")
    boolean email;

    @Option(names = "--subject", description = "subject for --email when TEMPLATE is a single file")
    String subject = "(no subject)";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws IOException {
        Map<String, Object> vars = readData();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        return email ? renderEmail(vars, out) : renderStandard(vars, out);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readData() throws IOException {
        if (data.isEmpty()) {
            return Map.of();
        }
        Object v = JSON.readValue(Files.readString(data.get()), Object.class);
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("--data must hold a JSON object");
        }
        return (Map<String, Object>) m;
    }

    private int renderStandard(Map<String, Object> vars, PrintStream out) throws IOException {
        Path dir = template.toAbsolutePath().getParent();
        SnippetSource snippets = name -> {
            for (String candidate : List.of(name + ".liquid", name)) {
                Path p = dir.resolve(candidate).normalize();
                if (p.startsWith(dir) && Files.isRegularFile(p)) {
                    try {
                        return Optional.of(Files.readString(p));
                    } catch (IOException e) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.empty();
        };
        LiquidEngine engine = LiquidEngine.standard(snippets);
        switch (engine.parse(Files.readString(template))) {
            case ParseVerdict.Invalid i -> {
                System.err.println("invalid template (" + i.code() + "): " + i.message());
                return 1;
            }
            case ParseVerdict.Parsed p -> {
                switch (p.template().render(vars)) {
                    case RenderOutcome.Rendered r -> out.print(r.output());
                    case RenderOutcome.Failed f -> {
                        System.err.println("render failed (" + f.code() + "): " + f.message());
                        return 1;
                    }
                }
            }
        }
        out.flush();
        return 0;
    }

    private int renderEmail(Map<String, Object> vars, PrintStream out) throws IOException {
        EmailTemplate t;
        if (Files.isDirectory(template)) {
            t = TemplateDirectory.load(template, 1);
        } else {
            EmailTemplate.Format f = template.toString().endsWith(".mjml") ? EmailTemplate.Format.MJML : EmailTemplate.Format.HTML;
            t = new EmailTemplate(template.getFileName().toString(), 1, subject, "", f, Files.readString(template), List.of());
        }
        EmailCompiler compiler = new EmailCompiler(LiquidEngine.email(SnippetSource.NONE, EmailFilters.Settings.DEFAULTS),
                new SegmentContentConditions());
        CompiledEmail compiled;
        switch (compiler.compile(t)) {
            case EmailCompiler.Verdict.Invalid i -> {
                System.err.println("invalid template:\n  " + String.join("\n  ", i.problems()));
                return 1;
            }
            case EmailCompiler.Verdict.Compiled c -> compiled = c.email();
        }
        Map<String, Object> extra = new LinkedHashMap<>(vars);
        Object profileData = extra.remove("profile");
        Map<String, TraitValue> traits = new LinkedHashMap<>();
        if (profileData instanceof Map<?, ?> pm) {
            pm.forEach((k, v) -> traits.put(String.valueOf(k), new TraitValue(v, Instant.EPOCH)));
        }
        Object event = extra.remove("event");
        @SuppressWarnings("unchecked")
        Map<String, Object> eventMap = event instanceof Map<?, ?> em ? (Map<String, Object>) em : Map.of();
        Profile profile = new Profile(String.valueOf(traits.containsKey("id") ? traits.get("id").value() : "p_preview"),
                Map.<IdentityKind, List<String>>of(), traits, Map.of(), List.of(), -1);
        EmailRenderer renderer = new EmailRenderer(InstantSource.system(), Optional.empty(), new RenderErrors());
        switch (renderer.render(compiled, new EmailRenderer.Request(profile, eventMap, extra, "preview"))) {
            case EmailRenderer.Result.Refused r -> {
                System.err.println("refused:\n  " + String.join("\n  ", r.reasons()));
                return 1;
            }
            case EmailRenderer.Result.Rendered r -> print(r.message(), out);
        }
        return 0;
    }

    private static void print(RenderedMessage m, PrintStream out) {
        out.println("Subject: " + m.subject());
        out.println("Preheader: " + m.preheader());
        out.println("Fallbacks-Used: " + String.join("; ", m.fallbacksUsed()));
        out.println();
        out.println("--- text ---");
        out.print(m.text());
        out.println("--- html ---");
        out.println(m.html());
        out.flush();
    }
}
