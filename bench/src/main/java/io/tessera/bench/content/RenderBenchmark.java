package io.tessera.bench.content;

import io.tessera.content.CompiledEmail;
import io.tessera.content.EmailCompiler;
import io.tessera.content.EmailRenderer;
import io.tessera.content.EmailTemplate;
import io.tessera.content.LinkTracking;
import io.tessera.content.RenderErrors;
import io.tessera.content.RenderedMessage;
import io.tessera.content.SegmentContentConditions;
import io.tessera.content.liquid.EmailFilters;
import io.tessera.content.liquid.LiquidEngine;
import io.tessera.content.liquid.RenderOutcome;
import io.tessera.content.liquid.SnippetSource;
import io.tessera.delivery.OutgoingMessage;
import io.tessera.event.JsonValues;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.profile.Profile;
import io.tessera.profile.TraitValue;
import io.tessera.server.content.TemplateDirectory;
import io.tessera.tracking.TrackingToken;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import liqp.TemplateParser;
import liqp.antlr.CharStreamWithLocation;
import liqp.org.antlr.v4.runtime.CharStreams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Complete messages per second for two MJML emails ({@link #template}): the shipped
 * {@code examples/templates/weekly-picks} (4 blocks with variants plus an open-time block, 6
 * products, conditionals, money/date/image filters; 28 KB of HTML per message once CSS is inlined)
 * and {@code price-watch} (bench resources: the spec email — 4 blocks, a VIP variant, 6
 * products with conditionals and money/date/math/truncate/image filters; 12 KB of HTML), a
 * different recipient every render: content rules, Liquid with
 * auto-escaping, fallbacks, CSS inlining, link rewriting with signed tokens, open pixel, plain
 * text, final check — and MIME assembly by delivery's {@link MimeAssembler}.
 *
 * <p>Engines side by side in the same run: the complete message on our compiled Liquid engine
 * (the default, {@code completeMessage*}) and on liqp pooled as before ({@code completeMessageLiqp*}),
 * and the Liquid work alone — every piece of the email rendered with the recipient's data, no
 * finishing — on each ({@code liquidOnly*}).
 *
 * <p>Baseline in the same run: liqp used naively — the same compiled HTML and block bodies as
 * plain Liquid, the layout parsed on every render and each block pulled in with
 * {@code {% include %}} (which liqp parses on every render), no escaping or finishing.
 *
 * <p>Run: {@code bench/render.sh} (single thread and all cores).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class RenderBenchmark {

    private static final int RECIPIENTS = 1024;

    /** {@code weekly-picks} (examples/templates) or {@code price-watch} (bench resources, the 10–15 KB spec email). */
    @Param({"weekly-picks", "price-watch"})
    public String template = "weekly-picks";

    private CompiledEmail email;
    private CompiledEmail liqpEmail;
    private final List<Map<String, Object>> liquidData = new ArrayList<>();
    private EmailRenderer renderer;
    private MimeAssembler mime;
    private final List<EmailRenderer.Request> requests = new ArrayList<>();
    private final List<Map<String, Object>> naiveData = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private String naiveSource;
    private Map<String, String> naiveIncludes;

    @Setup
    public void setUp() {
        EmailTemplate t = TemplateDirectory.load(templateDir(template), 1);
        EmailCompiler compiler = new EmailCompiler(LiquidEngine.email(SnippetSource.NONE, EmailFilters.Settings.DEFAULTS),
                new SegmentContentConditions());
        email = ((EmailCompiler.Verdict.Compiled) compiler.compile(t)).email();
        EmailCompiler liqpCompiler = new EmailCompiler(LiquidEngine.liqpEmail(SnippetSource.NONE, EmailFilters.Settings.DEFAULTS),
                new SegmentContentConditions());
        liqpEmail = ((EmailCompiler.Verdict.Compiled) liqpCompiler.compile(t)).email();
        InstantSource clock = InstantSource.system();
        TrackingToken tokens = new TrackingToken(List.of(new TrackingToken.Key("bench",
                "bench-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8))), clock);
        renderer = new EmailRenderer(clock, Optional.of(new LinkTracking("https://t.example.com", tokens,
                Duration.ofDays(30), Optional.empty())), new RenderErrors());
        mime = new MimeAssembler(clock, Optional.empty());
        Random rnd = new Random(42);
        String[] names = {"Ann", "Bob", "Chloé", "Dmitri", "Eve", "<Fran & Co>", "Grace", "Héctor"};
        String[] cities = {"Lyon", "Leeds", "Porto", "", "Graz"};
        for (int i = 0; i < RECIPIENTS; i++) {
            Map<String, TraitValue> traits = new LinkedHashMap<>();
            put(traits, "firstName", names[rnd.nextInt(names.length)]);
            put(traits, "email", "user" + i + "@example.com");
            put(traits, "city", cities[rnd.nextInt(cities.length)]);
            put(traits, "loyaltyPoints", rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(500));
            put(traits, "tier", rnd.nextInt(5) == 0 ? "vip" : "standard");
            put(traits, "timezone", "Europe/Paris");
            Profile p = new Profile("p_" + i, Map.of(), traits, Map.of(), List.of(), 0);
            List<Map<String, Object>> recs = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                Map<String, Object> item = new HashMap<>();
                String id = "SKU" + rnd.nextInt(100_000);
                item.put("id", id);
                item.put("title", "Hand-made ceramic item number " + rnd.nextInt(1000) + " with a long description");
                item.put("url", "https://shop.example.com/p/" + id + "?ref=email");
                item.put("image", "https://cdn.example.com/i/" + id + ".jpg");
                double price = 5 + rnd.nextInt(20000) / 100.0;
                item.put("price", price);
                if (rnd.nextBoolean()) {
                    item.put("compareAt", price * 1.25);
                }
                item.put("currency", "EUR");
                item.put("category", "home");
                item.put("rating", 3 + rnd.nextInt(21) / 10.0);
                item.put("stock", rnd.nextInt(40));
                recs.add(item);
            }
            requests.add(new EmailRenderer.Request(p, Map.of(), Map.of("recommendations", recs), "m_" + i));
            Map<String, Object> nd = new HashMap<>();
            nd.put("profile", p.traitValues());
            nd.put("recommendations", recs);
            nd.put("items", recs);
            nd.put("name", p.traitValues().get("firstName"));
            naiveData.add(nd);
            Map<String, Object> ld = new HashMap<>();
            Map<String, Object> profile = new LinkedHashMap<>(p.traitValues());
            profile.put("id", p.id());
            ld.put("profile", profile);
            ld.put("event", Map.of());
            ld.put("message", Map.of("id", "m_" + i));
            ld.put("timezone", "Europe/Paris");
            ld.put("recommendations", recs);
            ld.put("unsubscribe_url", "https://t.example.com/u/token" + i);
            liquidData.add(ld);
        }
        buildNaive();
        RenderedMessage sample = ((EmailRenderer.Result.Rendered) renderer.render(email, requests.get(0))).message();
        System.out.println("\n" + template + " message size: html " + sample.html().length() + " chars, text "
                + sample.text().length() + " chars");
    }

    /** weekly-picks from the shipped examples (run from the repository root); the others from this jar's resources. */
    private static Path templateDir(String name) {
        if (name.equals("weekly-picks")) {
            return Path.of(System.getProperty("tessera.examples", "examples/templates"), name);
        }
        URL marker = RenderBenchmark.class.getResource("/templates/" + name + "/template.json");
        if (marker == null) {
            throw new IllegalArgumentException("no bench template " + name);
        }
        try {
            URI uri = marker.toURI();
            if (uri.getScheme().equals("jar")) {
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException opened) {
                    // another @Setup of this JVM opened the jar already
                }
            }
            return Path.of(uri).getParent();
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(Map<String, TraitValue> m, String k, Object v) {
        m.put(k, new TraitValue(v, Instant.EPOCH));
    }

    /** The same HTML as plain Liquid: escaper filters removed, each block's default body an include. */
    private void buildNaive() {
        StringBuilder main = new StringBuilder();
        naiveIncludes = new HashMap<>();
        for (CompiledEmail.Piece piece : email.pieces()) {
            switch (piece) {
                case CompiledEmail.Static s -> main.append(plain(s.html().source()));
                case CompiledEmail.Slot slot -> {
                    naiveIncludes.put(slot.blockKey(), plain(slot.body().source()));
                    main.append("{% include '").append(slot.blockKey()).append("' %}");
                }
            }
        }
        naiveSource = main.toString();
    }

    /** Our escapers, our own filters (which liqp does not have) and the text template's markers removed. */
    private static String plain(String instrumented) {
        return instrumented.replaceAll("\uE008[\uE100-\uF8FF]|[\uE009\uE00A\uE00B]", "")
                .replaceAll(" \\| escape_[a-z_]+_auto", "")
                .replaceAll("\\| (image_resize|money|local_date)(: (\"[^\"]*\"|[^|}\\s]+))?", "");
    }

    private EmailRenderer.Request nextRequest() {
        return requests.get(Math.floorMod(next.getAndIncrement(), RECIPIENTS));
    }

    private byte[] complete() {
        return complete(email);
    }

    byte[] complete(CompiledEmail which) {
        EmailRenderer.Request r = nextRequest();
        RenderedMessage m = ((EmailRenderer.Result.Rendered) renderer.render(which, r)).message();
        return mime.assemble(new OutgoingMessage(r.messageId() + "@example.com", "shop@example.com",
                r.profile().traitValues().get("email").toString(), m.subject(), m.html(), m.text(), m.amp(), m.headers()));
    }

    /** The Liquid work of one message alone: subject, preheader, layout pieces and default block bodies. */
    int liquidOnly(CompiledEmail which) {
        Map<String, Object> data = liquidData.get(Math.floorMod(next.getAndIncrement(), RECIPIENTS));
        int n = length(which.subject().render(data)) + length(which.preheader().render(data));
        for (CompiledEmail.Piece piece : which.pieces()) {
            n += switch (piece) {
                case CompiledEmail.Static s -> length(s.html().render(data));
                case CompiledEmail.Slot slot -> length(slot.body().render(withInputs(slot, data)));
            };
        }
        return n;
    }

    /** A block sees its declared inputs (e.g. {@code items} from {@code recommendations}), as EmailRenderer gives them. */
    private static Map<String, Object> withInputs(CompiledEmail.Slot slot, Map<String, Object> data) {
        Map<String, Object> blockData = new HashMap<>(data);
        for (EmailTemplate.Input in : slot.inputs()) {
            JsonValues.at(data, in.path()).or(in::defaultValue).ifPresent(v -> blockData.put(in.name(), v));
        }
        return blockData;
    }

    private static int length(RenderOutcome o) {
        return switch (o) {
            case RenderOutcome.Rendered r -> r.output().length();
            case RenderOutcome.Failed f -> throw new IllegalStateException(f.message());
        };
    }

    CompiledEmail compiledEmail() {
        return email;
    }

    CompiledEmail liqpEmail() {
        return liqpEmail;
    }

    private String naive() {
        TemplateParser parser = new TemplateParser.Builder()
                .withNameResolver(name -> new CharStreamWithLocation(CharStreams.fromString(naiveIncludes.get(name))))
                .build();
        return parser.parse(naiveSource).render(naiveData.get(Math.floorMod(next.getAndIncrement(), RECIPIENTS)));
    }

    @Benchmark
    @Threads(1)
    public byte[] completeMessageOneThread() {
        return complete();
    }

    @Benchmark
    @Threads(Threads.MAX)
    public byte[] completeMessageAllCores() {
        return complete();
    }

    @Benchmark
    @Threads(1)
    public byte[] completeMessageLiqpOneThread() {
        return complete(liqpEmail);
    }

    @Benchmark
    @Threads(Threads.MAX)
    public byte[] completeMessageLiqpAllCores() {
        return complete(liqpEmail);
    }

    @Benchmark
    @Threads(1)
    public int liquidOnlyCompiledOneThread() {
        return liquidOnly(email);
    }

    @Benchmark
    @Threads(1)
    public int liquidOnlyLiqpOneThread() {
        return liquidOnly(liqpEmail);
    }

    @Benchmark
    @Threads(1)
    public String naiveLiqpOneThread() {
        return naive();
    }

    @Benchmark
    @Threads(Threads.MAX)
    public String naiveLiqpAllCores() {
        return naive();
    }
}
