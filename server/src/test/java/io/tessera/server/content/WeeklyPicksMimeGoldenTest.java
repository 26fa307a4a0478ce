package io.tessera.server.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.content.CompiledEmail;
import io.tessera.content.EmailCompiler;
import io.tessera.content.EmailRenderer;
import io.tessera.content.LinkTracking;
import io.tessera.content.RenderErrors;
import io.tessera.content.RenderedMessage;
import io.tessera.content.SegmentContentConditions;
import io.tessera.content.liquid.EmailFilters;
import io.tessera.content.liquid.LiquidEngine;
import io.tessera.content.liquid.SnippetSource;
import io.tessera.delivery.OutgoingMessage;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.event.Event;
import io.tessera.profile.Profile;
import io.tessera.profile.TraitValue;
import io.tessera.tracking.TrackingToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Pins the complete MIME bytes of the shipped weekly-picks email — Liquid, escaping, content
 * rules, signed links, pixel, plain text and quoted-printable — for 64 seeded recipients, so a
 * performance change anywhere on the per-message path (render, finish, text scan, tokens, MIME)
 * cannot change a single byte unnoticed. The first recipient's message is kept whole in
 * {@code weekly-picks-0.eml} for a readable diff; the digest covers all 64.
 *
 * <p>An intended output change regenerates both with {@code -Dtessera.golden.write=true}.
 */
class WeeklyPicksMimeGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");

    @Test
    void weeklyPicksMimeOutputIsByteForByteTheRecordedOne() throws Exception {
        InstantSource clock = InstantSource.fixed(NOW);
        CompiledEmail email = ((EmailCompiler.Verdict.Compiled) new EmailCompiler(
                LiquidEngine.email(SnippetSource.NONE, EmailFilters.Settings.DEFAULTS), new SegmentContentConditions())
                .compile(TemplateDirectory.load(ExampleTemplatesTest.EXAMPLES.resolve("weekly-picks"), 1))).email();
        TrackingToken tokens = new TrackingToken(List.of(new TrackingToken.Key("golden",
                "golden-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8))), clock);
        EmailRenderer renderer = new EmailRenderer(clock, Optional.of(new LinkTracking("https://t.example.com", tokens,
                Duration.ofDays(30), Optional.of("unsubscribe@shop.example.com"))), new RenderErrors());
        MimeAssembler mime = new MimeAssembler(clock, Optional.empty());
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        String first = null;
        Random rnd = new Random(20261102);
        for (int i = 0; i < 64; i++) {
            EmailRenderer.Request r = request(i, rnd);
            EmailRenderer.Result result = renderer.render(email, r);
            assertThat(result).as("recipient %d", i).isInstanceOf(EmailRenderer.Result.Rendered.class);
            RenderedMessage m = ((EmailRenderer.Result.Rendered) result).message();
            byte[] bytes = mime.assemble(new OutgoingMessage(r.messageId() + "@shop.example.com", "Shop <news@shop.example.com>",
                    "user" + i + "@example.com", m.subject(), m.html(), m.text(), m.amp(), m.headers()));
            digest.update(bytes);
            if (i == 0) {
                first = new String(bytes, StandardCharsets.ISO_8859_1);
            }
        }
        String sum = HexFormat.of().formatHex(digest.digest());
        if (Boolean.getBoolean("tessera.golden.write")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(GOLDEN.resolve("weekly-picks-0.eml"), first, StandardCharsets.ISO_8859_1);
            Files.writeString(GOLDEN.resolve("weekly-picks-64.sha256"), sum + "\n");
        }
        Files.writeString(Path.of("target/weekly-picks-0.actual.eml"), first, StandardCharsets.ISO_8859_1); // to diff on failure
        assertThat(first).isEqualTo(Files.readString(GOLDEN.resolve("weekly-picks-0.eml"), StandardCharsets.ISO_8859_1));
        assertThat(sum).isEqualTo(Files.readString(GOLDEN.resolve("weekly-picks-64.sha256")).strip());
    }

    /** A seeded recipient: hostile and non-ASCII names, VIP and lapsed variants, 0–6 recommendations. */
    private static EmailRenderer.Request request(int i, Random rnd) {
        String[] names = {"Ann", "Bob", "Chloé", "Dmitri", "Eve", "<Fran & Co>", "\"><img onerror=x>", "Zoë 😀", "{{ x }}", ""};
        String[] cities = {"Lyon", "Leeds", "Porto", "", "Graz", "São Paulo"};
        Map<String, TraitValue> traits = new LinkedHashMap<>();
        put(traits, "firstName", names[rnd.nextInt(names.length)]);
        put(traits, "email", "user" + i + "@example.com");
        put(traits, "city", cities[rnd.nextInt(cities.length)]);
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
        int count = rnd.nextInt(7);
        for (int k = 0; k < count; k++) {
            Map<String, Object> item = new LinkedHashMap<>();
            String id = "SKU" + rnd.nextInt(100_000);
            item.put("id", id);
            item.put("title", k == 1 ? "Mug <b>\"bold\"</b> & saucer — 2 pcs" : "Hand-made ceramic item " + rnd.nextInt(1000));
            item.put("url", "https://shop.example.com/p/" + id + "?ref=email&k=" + k);
            item.put("image", "https://cdn.example.com/i/" + id + ".jpg");
            double price = 5 + rnd.nextInt(20000) / 100.0;
            item.put("price", price);
            if (rnd.nextBoolean()) {
                item.put("compareAt", price * 1.25);
            }
            item.put("currency", rnd.nextBoolean() ? "EUR" : "USD");
            item.put("category", "home");
            item.put("rating", 3 + rnd.nextInt(21) / 10.0);
            item.put("stock", rnd.nextInt(40));
            recs.add(item);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("recommendations", recs);
        extra.put("opentime", Map.of("images", Map.of("hero", "https://mail.shop.example.com/o/T" + i + "/img/hero")));
        return new EmailRenderer.Request(p, Map.of(), extra, "m_" + i);
    }

    private static void put(Map<String, TraitValue> m, String k, Object v) {
        m.put(k, new TraitValue(v, Instant.EPOCH));
    }
}
