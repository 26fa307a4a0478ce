package io.tessera.content;

import static io.tessera.content.EmailFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.tracking.TrackingToken;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class EmailRendererTest {

    private static final String LAYOUT = """
            <html><head><style>p { color: #333; } .cta { font-weight: bold; }
            @media (max-width: 480px) { p { font-size: 14px; } }</style></head>
            <body>{{ blocks }}<p><a href="{{ unsubscribe_url }}" data-notrack>Unsubscribe</a></p></body></html>""";

    private final EmailRenderer renderer = new EmailRenderer(CLOCK, Optional.of(TRACKING), new RenderErrors());

    @Test
    void hostileTraitValuesAreNeverInterpreted() {
        List<String> hostile = List.of("<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
                "{{ profile.id }}", "{% if true %}INJECTED{% endif %}", "javascript:alert(1)");
        String body = """
                <p title="{{ profile.name }}">Hi {{ profile.name }}, {{ profile.city }}</p>
                <a class="cta" href="{{ profile.site }}">site</a>
                <a href="https://shop.example.com/p?ref={{ profile.ref }}">shop</a>
                <img src="https://img.example.com/{{ profile.avatar }}.png" alt="{{ profile.note }}">""";
        CompiledEmail email = compile(html("Hello {{ profile.name }}", LAYOUT, block("hero", body, "")));
        for (String evil : hostile) {
            Map<String, Object> traits = new LinkedHashMap<>();
            for (String t : List.of("name", "city", "site", "ref", "avatar", "note")) {
                traits.put(t, evil);
            }
            RenderedMessage m = rendered(renderer.render(email, new EmailRenderer.Request(
                    profile("p_secret", traits), Map.of(), Map.of(), "m1")));
            Document doc = Jsoup.parse(m.html());
            assertThat(doc.select("script")).as(evil).isEmpty();
            assertThat(doc.select("[onerror]")).as(evil).isEmpty();
            assertThat(doc.select("img")).as(evil).hasSize(2); // the author's image and the open pixel
            assertThat(m.html()).as(evil).doesNotContain("{{").doesNotContain("{%");
            assertThat(m.html()).as(evil).doesNotContain("p_secret"); // {{ profile.id }} in data is not evaluated
            for (Element a : doc.select("a[href]")) {
                assertThat(a.attr("href")).as(evil).doesNotStartWithIgnoringCase("javascript:");
            }
            assertThat(doc.select("p").first().text()).as(evil).isEqualTo("Hi " + evil + ", " + evil);
            assertThat(doc.select("p").first().attr("title")).as(evil).isEqualTo(evil);
            assertThat(m.subject()).as(evil).isEqualTo("Hello " + evil);
        }
    }

    @Test
    void cssRulesAreInlinedInSourceOrderWithTheElementsOwnStyleLast() {
        String layout = """
                <html><head><style>/* brand */ p { color: #333; } .cta, h1 { font-weight: bold }
                p.cta { color: red; } a:hover { color: blue; }
                @media (max-width: 480px) { p { font-size: 14px; } }</style></head>
                <body>{{ blocks }}</body></html>""";
        CompiledEmail email = compile(html("Hi", layout, block("hero",
                "<h1>Title</h1><p>plain</p><p class=\"cta\" style=\"margin:0\">buy</p><a href=\"#x\">top</a>", "")));
        for (int round = 0; round < 2; round++) { // the second render uses the cached rules
            RenderedMessage m = rendered(new EmailRenderer(CLOCK, Optional.empty(), new RenderErrors())
                    .render(email, new EmailRenderer.Request(profile("p1", Map.of()), Map.of(), Map.of(), "m" + round)));
            Document doc = Jsoup.parse(m.html());
            assertThat(doc.select("h1").attr("style")).isEqualTo("font-weight: bold;");
            assertThat(doc.select("p").get(0).attr("style")).isEqualTo("color: #333;");
            assertThat(doc.select("p.cta").attr("style")).isEqualTo("color: #333;font-weight: bold;color: red;margin:0");
            assertThat(doc.select("a").attr("style")).isEmpty();
            assertThat(doc.select("style").html()).contains("@media");
        }
    }

    @Test
    void missingRequiredInputReplacesTheBlockByItsFallback() {
        CompiledEmail email = compile(html("Hi", LAYOUT,
                block("offer", "<p>Your code {{ code }}</p>", "<p>See our offers</p>",
                        new EmailTemplate.Input("code", "profile.couponCode", Optional.empty())),
                block("greeting", "<p>Hello {{ name }}</p>", "",
                        new EmailTemplate.Input("name", "profile.firstName", Optional.of("there")))));
        RenderedMessage m = rendered(renderer.render(email, new EmailRenderer.Request(
                profile("p1", Map.of("firstName", "  ")), Map.of(), Map.of(), "m1")));
        assertThat(m.html()).contains("See our offers").contains("Hello there").doesNotContain("Your code");
        assertThat(m.fallbacksUsed()).containsExactly("offer (missing input code)");
    }

    @Test
    void blockThatFailsToRenderIsReplacedByItsFallbackAndCounted() {
        RenderErrors errors = new RenderErrors();
        EmailRenderer r = new EmailRenderer(CLOCK, Optional.empty(), errors);
        CompiledEmail email = compile(html("Hi", LAYOUT,
                block("price", "<p>{{ profile.price | money: 'EUR' }}</p>", "<p>Great prices inside</p>")));
        RenderedMessage m = rendered(r.render(email, new EmailRenderer.Request(
                profile("p1", Map.of("price", "not a number")), Map.of(), Map.of(), "m1")));
        assertThat(m.html()).contains("Great prices inside");
        assertThat(m.fallbacksUsed()).hasSize(1).first().asString().startsWith("price (render error");
        assertThat(errors.count("t@1")).isEqualTo(1);
    }

    @Test
    void variantIsChosenByTheFirstMatchingContentRule() {
        EmailTemplate.Block hero = new EmailTemplate.Block("hero", 1, List.of(), List.of(
                new EmailTemplate.Variant("pro", "traits.plan == \"pro\"", "<p>Pro news</p>"),
                new EmailTemplate.Variant("trial", "traits.plan == \"trial\"", "<p>Upgrade now</p>")),
                "<p>Welcome</p>", "");
        CompiledEmail email = compile(html("Hi", LAYOUT, hero));
        assertThat(body(email, Map.of("plan", "pro"))).contains("Pro news").doesNotContain("Welcome");
        assertThat(body(email, Map.of("plan", "trial"))).contains("Upgrade now").doesNotContain("Pro news");
        assertThat(body(email, Map.of())).contains("Welcome").doesNotContain("Upgrade");
    }

    @Test
    void finalCheckRefusesAnEmptySubjectAndSaysWhy() {
        RenderErrors errors = new RenderErrors();
        EmailRenderer r = new EmailRenderer(CLOCK, Optional.empty(), errors);
        CompiledEmail email = compile(html("{{ profile.subject }}", LAYOUT, block("b", "<p>x</p>", "")));
        EmailRenderer.Result result = r.render(email, new EmailRenderer.Request(profile("p1", Map.of()), Map.of(), Map.of(), "m1"));
        assertThat(result).isInstanceOfSatisfying(EmailRenderer.Result.Refused.class,
                refused -> assertThat(refused.reasons()).contains("empty subject"));
        assertThat(errors.count("t@1")).isEqualTo(1);
    }

    @Test
    void finalCheckRefusesUnresolvedLiquidInTheTemplateText() {
        CompiledEmail email = compile(html("Hi", LAYOUT, block("b", "<p>{% raw %}{{ oops }}{% endraw %}</p>", "")));
        EmailRenderer.Result result = renderer.render(email, new EmailRenderer.Request(profile("p1", Map.of()), Map.of(), Map.of(), "m1"));
        assertThat(result).isInstanceOfSatisfying(EmailRenderer.Result.Refused.class,
                refused -> assertThat(refused.reasons()).anyMatch(s -> s.startsWith("unresolved Liquid in the HTML")));
    }

    @Test
    void unknownFiltersAndUnsafePlacesRefuseTheVersion() {
        assertThat(compiler().compile(html("Hi", LAYOUT, block("b", "<p>{{ x | nope }}</p>", ""))))
                .isInstanceOfSatisfying(EmailCompiler.Verdict.Invalid.class,
                        i -> assertThat(i.problems()).anyMatch(p -> p.contains("unknown_filter")));
        assertThat(compiler().compile(html("Hi", LAYOUT, block("b", "<p onclick=\"{{ x }}\">y</p>", ""))))
                .isInstanceOf(EmailCompiler.Verdict.Invalid.class);
        assertThat(compiler().compile(html("Hi", LAYOUT, block("b", "<p class={{ x }}>y</p>", ""))))
                .isInstanceOf(EmailCompiler.Verdict.Invalid.class);
    }

    @Test
    void linksGoThroughSignedClickTokensAndThePixelAndUnsubscribeHeadersAreAdded() {
        CompiledEmail email = compile(html("Hi", LAYOUT, block("b", "<p><a href=\"https://shop.example.com/x?a=1&b=2\">Shop</a></p>", "")));
        RenderedMessage m = rendered(renderer.render(email, new EmailRenderer.Request(profile("p1", Map.of()), Map.of(), Map.of(), "m1")));
        Document doc = Jsoup.parse(m.html());
        String href = doc.select("a").first().attr("href");
        assertThat(href).startsWith("https://t.example.com/t/c/").contains("?u=https%3A%2F%2Fshop.example.com%2Fx%3Fa%3D1%26b%3D2");
        String token = href.substring("https://t.example.com/t/c/".length(), href.indexOf('?'));
        assertThat(TOKENS.verify(token, TrackingToken.Purpose.CLICK, "https://shop.example.com/x?a=1&b=2"))
                .isInstanceOf(TrackingToken.Verdict.Valid.class);
        assertThat(TOKENS.verify(token, TrackingToken.Purpose.CLICK, "https://evil.example.com/"))
                .isEqualTo(new TrackingToken.Verdict.Invalid("wrong_target"));
        assertThat(doc.select("img[src^=https://t.example.com/t/o/]")).hasSize(1);
        assertThat(m.headers().get("List-Unsubscribe")).startsWith("<https://t.example.com/t/u/").endsWith(", <mailto:unsub@example.com>");
        assertThat(m.headers()).containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        assertThat(doc.select("a:contains(Unsubscribe)").attr("href")).startsWith("https://t.example.com/t/u/");
        assertThat(doc.select("p").first().attr("style")).contains("color: #333");
        assertThat(m.text()).contains("Shop (https://t.example.com/t/c/");
    }

    @Test
    void linksRepeatedByALoopInsideATableAreEachTrackedAndStyledOnceAtCompileTime() {
        String layout = """
                <html><head><style>a { color: #c00; } td.item { padding: 4px; }</style></head>
                <body><table>{{ blocks }}</table></body></html>""";
        CompiledEmail email = compile(html("Hi", layout, block("items",
                "{% for p in items %}<tr><td class=\"item\"><a href=\"{{ p.url }}\">{{ p.title }}</a></td></tr>{% endfor %}"
                        + "<tr><td><a href=\"https://shop.example.com/help\" data-notrack>help</a></td></tr>", "",
                new EmailTemplate.Input("items", "recommendations", Optional.empty()))));
        List<Map<String, Object>> items = List.of(Map.of("url", "https://shop.example.com/a?x=1&y=2", "title", "A & B"),
                Map.of("url", "javascript:alert(1)", "title", "C"), Map.of("url", "https://shop.example.com/c", "title", "D"));
        RenderedMessage m = rendered(renderer.render(email, new EmailRenderer.Request(profile("p1", Map.of()), Map.of(),
                Map.of("recommendations", items), "m1")));
        Document doc = Jsoup.parse(m.html());
        List<String> hrefs = doc.select("td.item a").eachAttr("href");
        assertThat(hrefs).hasSize(3);
        assertThat(hrefs.get(0)).startsWith("https://t.example.com/t/c/").endsWith("?u=https%3A%2F%2Fshop.example.com%2Fa%3Fx%3D1%26y%3D2");
        String token = hrefs.get(0).substring("https://t.example.com/t/c/".length(), hrefs.get(0).indexOf('?'));
        assertThat(TOKENS.verify(token, TrackingToken.Purpose.CLICK, "https://shop.example.com/a?x=1&y=2"))
                .isInstanceOf(TrackingToken.Verdict.Valid.class);
        assertThat(hrefs.get(1)).isEqualTo("about:invalid#blocked"); // escaped at render, never tracked
        assertThat(hrefs.get(2)).startsWith("https://t.example.com/t/c/");
        assertThat(doc.select("td.item")).allSatisfy(td -> assertThat(td.attr("style")).isEqualTo("padding: 4px;"));
        assertThat(doc.select("a")).allSatisfy(a -> assertThat(a.attr("style")).isEqualTo("color: #c00;"));
        Element help = doc.select("a:contains(help)").first();
        assertThat(help.attr("href")).isEqualTo("https://shop.example.com/help");
        assertThat(help.hasAttr("data-notrack")).isFalse();
        assertThat(m.html()).doesNotContain("\uE004").doesNotContain("\uE005").doesNotContain("\uE006").doesNotContain("\uE007");
        assertThat(m.text()).contains("A & B (https://t.example.com/t/c/").contains("help (https://shop.example.com/help)");
    }

    @Test
    void preheaderIsHiddenRightAfterBodyAndThePixelIsTheLastElementOfTheBody() {
        EmailTemplate t = new EmailTemplate("t", 1, "Hi", "Hello {{ profile.name }}", EmailTemplate.Format.HTML, LAYOUT,
                List.of(block("b", "<p>Body</p>", "")));
        RenderedMessage m = rendered(renderer.render(compile(t), new EmailRenderer.Request(
                profile("p1", Map.of("name", "<Ann>")), Map.of(), Map.of(), "m1")));
        Element body = Jsoup.parse(m.html()).body();
        assertThat(body.child(0).attr("style")).contains("display:none");
        assertThat(body.child(0).text()).isEqualTo("Hello <Ann>");
        assertThat(body.children().last().tagName()).isEqualTo("img");
        assertThat(body.children().last().attr("src")).startsWith("https://t.example.com/t/o/");
        assertThat(m.text()).doesNotContain("Hello <Ann>").contains("Body");
    }

    @Test
    void finalCheckRefusesStructurallyBrokenHtml() {
        CompiledEmail email = compile(html("Hi", LAYOUT, block("b",
                "{% if profile.vip %}<div class=\"vip\">{% endif %}<p>x</p></div>", "")));
        assertThat(renderer.render(email, new EmailRenderer.Request(profile("p1", Map.of()), Map.of(), Map.of(), "m1")))
                .isInstanceOfSatisfying(EmailRenderer.Result.Refused.class,
                        refused -> assertThat(refused.reasons()).anyMatch(s -> s.contains("unexpected </div>")));
        assertThat(renderer.render(email, new EmailRenderer.Request(profile("p1", Map.of("vip", true)), Map.of(), Map.of(), "m2")))
                .isInstanceOf(EmailRenderer.Result.Rendered.class);
    }

    private String body(CompiledEmail email, Map<String, Object> traits) {
        return rendered(new EmailRenderer(CLOCK, Optional.empty(), new RenderErrors())
                .render(email, new EmailRenderer.Request(profile("p1", traits), Map.of(), Map.of(), "m1"))).html();
    }
}
