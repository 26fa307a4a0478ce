package io.tessera.server.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.content.CompiledEmail;
import io.tessera.content.EmailCompiler;
import io.tessera.content.EmailRenderer;
import io.tessera.content.EmailTemplate;
import io.tessera.content.LinkTracking;
import io.tessera.content.RenderErrors;
import io.tessera.content.SegmentContentConditions;
import io.tessera.content.liquid.EmailFilters;
import io.tessera.content.liquid.LiquidEngine;
import io.tessera.content.liquid.SnippetSource;
import io.tessera.event.Event;
import io.tessera.profile.Profile;
import io.tessera.profile.TraitValue;
import io.tessera.tracking.TrackingToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The text part made once per version (the text template) is exactly the text the per-message
 * scan of the finished HTML gives, and the HTML is unchanged: both shipped emails, each compiled
 * with and without the text template, rendered for many seeded random recipients whose every value
 * may be hostile ({@code <}, {@code &}, quotes, line breaks, no-break spaces, Liquid delimiters,
 * our private-use markers, a product title equal to its URL), with and without link tracking.
 */
class TextTemplateEquivalenceTest {

    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    private static final Path PRICE_WATCH = Path.of("../bench/src/main/resources/templates/price-watch");

    @ParameterizedTest
    @ValueSource(strings = {"weekly-picks", "price-watch"})
    void textFromTheTextTemplateIsTheTextScannedFromTheHtml(String name) {
        Path dir = name.equals("price-watch") ? PRICE_WATCH : ExampleTemplatesTest.EXAMPLES.resolve(name);
        EmailTemplate t = TemplateDirectory.load(dir, 1);
        LiquidEngine liquid = LiquidEngine.email(SnippetSource.NONE, EmailFilters.Settings.DEFAULTS);
        CompiledEmail withText = compiled(new EmailCompiler(liquid, new SegmentContentConditions(), true), t);
        CompiledEmail scanned = compiled(new EmailCompiler(liquid, new SegmentContentConditions(), false), t);
        assertThat(withText.text()).as("the version gets a text template").isPresent();
        assertThat(scanned.text()).isEmpty();

        InstantSource clock = InstantSource.fixed(NOW);
        TrackingToken tokens = new TrackingToken(List.of(new TrackingToken.Key("k",
                "text-template-secret-0123456789".getBytes(StandardCharsets.UTF_8))), clock);
        List<EmailRenderer> renderers = List.of(
                new EmailRenderer(clock, Optional.of(new LinkTracking("https://t.example.com", tokens, Duration.ofDays(30),
                        Optional.of("unsubscribe@shop.example.com"))), new RenderErrors()),
                new EmailRenderer(clock, Optional.empty(), new RenderErrors()));
        long seed = new Random().nextLong();
        Random rnd = new Random(seed);
        int compared = 0;
        for (int i = 0; i < 250; i++) {
            EmailRenderer.Request r = request(i, rnd);
            for (EmailRenderer renderer : renderers) {
                EmailRenderer.Result expected = renderer.render(scanned, r);
                EmailRenderer.Result actual = renderer.render(withText, r);
                if (actual instanceof EmailRenderer.Result.Rendered a && expected instanceof EmailRenderer.Result.Rendered e) {
                    assertThat(a.message().html()).as("seed %d, recipient %d: HTML", seed, i).isEqualTo(e.message().html());
                    assertThat(a.message().text()).as("seed %d, recipient %d: text", seed, i).isEqualTo(e.message().text());
                }
                assertThat(actual).as("seed %d, recipient %d", seed, i).isEqualTo(expected);
                compared += actual instanceof EmailRenderer.Result.Rendered ? 1 : 0;
            }
        }
        assertThat(compared).as("seed %d: messages rendered and compared", seed).isGreaterThan(400);
    }

    private static CompiledEmail compiled(EmailCompiler compiler, EmailTemplate t) {
        return switch (compiler.compile(t)) {
            case EmailCompiler.Verdict.Compiled c -> c.email();
            case EmailCompiler.Verdict.Invalid i -> throw new AssertionError(i.problems());
        };
    }

    private static final String[] HOSTILE = {"<script>alert(1)</script>", "\"><img onerror=x>", "Fran & Co", "a&amp;b",
            "&lt;b&gt;", "line\nbreak", "tab\there", "no\u00A0break", "  spaced  out  ", "{{ x }}", "{% if %}", "'quoted'",
            "`tick`", "\uE004marker\uE005", "\uE008\uE123seg", "\uE009out", "\uE00Aop\uE00C", "Zoë 😀", "", " ", "&", "<",
            "https://shop.example.com/p/1", "javascript:alert(1)", "#frag", "a\r\nb", "&#123;", "x=\"y\" style=display:none"};

    private static String pick(Random rnd, String... normal) {
        return rnd.nextInt(3) == 0 ? HOSTILE[rnd.nextInt(HOSTILE.length)] : normal[rnd.nextInt(normal.length)];
    }

    private static EmailRenderer.Request request(int i, Random rnd) {
        Map<String, TraitValue> traits = new LinkedHashMap<>();
        put(traits, "firstName", pick(rnd, "Ann", "Bob", "Chloé", "Dmitri"));
        put(traits, "email", rnd.nextInt(4) == 0 ? pick(rnd, "a@example.com") : "user" + i + "@example.com");
        put(traits, "city", pick(rnd, "Lyon", "Leeds", "Porto", "", "São Paulo"));
        put(traits, "loyaltyPoints", rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(500));
        put(traits, "tier", rnd.nextInt(4) == 0 ? "vip" : "standard");
        put(traits, "timezone", rnd.nextBoolean() ? "Europe/Paris" : "America/New_York");
        if (rnd.nextBoolean()) {
            put(traits, "lastOrderAt", "2026-01-0" + (1 + rnd.nextInt(9)) + "T00:00:00Z");
        }
        List<Event> timeline = new ArrayList<>();
        if (rnd.nextBoolean()) {
            timeline.add(Event.track("e" + i, "u" + i, "Order Completed", Map.of("total", 10),
                    NOW.minus(Duration.ofDays(rnd.nextInt(120)))));
        }
        Profile p = new Profile("p_" + i, Map.of(), traits, Map.of(), timeline, 0);
        List<Map<String, Object>> recs = new ArrayList<>();
        int count = rnd.nextInt(8);
        for (int k = 0; k < count; k++) {
            Map<String, Object> item = new LinkedHashMap<>();
            String id = "SKU" + rnd.nextInt(100_000);
            String url = rnd.nextInt(6) == 0 ? pick(rnd, "https://shop.example.com/p/" + id + "?a=1&b=2")
                    : "https://shop.example.com/p/" + id + "?ref=email&k=" + k;
            item.put("id", id);
            // a title equal to the URL: without tracking the text gives the link once, not "url (url)"
            item.put("title", rnd.nextInt(8) == 0 ? url : pick(rnd, "Hand-made ceramic item " + rnd.nextInt(1000),
                    "Mug <b>\"bold\"</b> & saucer — 2 pcs"));
            item.put("url", url);
            item.put("image", rnd.nextInt(8) == 0 ? pick(rnd, "x") : "https://cdn.example.com/i/" + id + ".jpg");
            double price = 5 + rnd.nextInt(20000) / 100.0;
            item.put("price", price);
            if (rnd.nextBoolean()) {
                item.put("compareAt", price * 1.25);
            }
            item.put("currency", rnd.nextBoolean() ? "EUR" : "USD");
            item.put("category", pick(rnd, "home", "garden"));
            item.put("rating", 3 + rnd.nextInt(21) / 10.0);
            item.put("stock", rnd.nextInt(40));
            recs.add(item);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("recommendations", recs);
        if (rnd.nextBoolean()) {
            extra.put("opentime", Map.of("images", Map.of("hero", "https://mail.shop.example.com/o/T" + i + "/img/hero")));
        }
        return new EmailRenderer.Request(p, Map.of(), extra, "m_" + i);
    }

    private static void put(Map<String, TraitValue> m, String k, Object v) {
        m.put(k, new TraitValue(v, Instant.EPOCH));
    }
}
