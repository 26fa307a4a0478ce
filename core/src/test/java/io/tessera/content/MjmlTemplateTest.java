package io.tessera.content;

import static io.tessera.content.EmailFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

class MjmlTemplateTest {

    private static final String LAYOUT = """
            <mjml><mj-head><mj-attributes><mj-all font-family="Arial" /></mj-attributes></mj-head>
            <mj-body>{{ blocks }}
            <mj-section><mj-column><mj-text><a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text></mj-column></mj-section>
            </mj-body></mjml>""";

    @Test
    void mjmlLayoutAndBlocksCompileOnceAndRenderPerRecipient() {
        EmailTemplate.Block hero = new EmailTemplate.Block("hero", 1,
                List.of(new EmailTemplate.Input("name", "profile.firstName", Optional.of("there"))),
                List.of(new EmailTemplate.Variant("vip", "traits.tier == \"vip\"",
                        "<mj-section><mj-column><mj-text>Welcome back, VIP {{ name }}</mj-text></mj-column></mj-section>")),
                "<mj-section><mj-column><mj-text>Hello {{ name }}</mj-text>"
                        + "<mj-button href=\"https://shop.example.com/?u={{ profile.id }}\">Shop</mj-button></mj-column></mj-section>",
                "");
        EmailTemplate.Block products = new EmailTemplate.Block("products", 1,
                List.of(new EmailTemplate.Input("items", "recommendations", Optional.empty())), List.of(),
                "<mj-section><mj-column><mj-raw>{% for p in items %}</mj-raw><mj-text>{{ p.title }} {{ p.price | money: 'EUR' }}</mj-text><mj-raw>{% endfor %}</mj-raw></mj-column></mj-section>",
                "<mj-section><mj-column><mj-text>Our bestsellers are waiting</mj-text></mj-column></mj-section>");
        CompiledEmail email = compile(new EmailTemplate("welcome", 3, "Hi {{ profile.firstName | default: 'there' }}",
                "Fresh picks for you", EmailTemplate.Format.MJML, LAYOUT, List.of(hero, products)));
        EmailRenderer renderer = new EmailRenderer(CLOCK, Optional.of(TRACKING), new RenderErrors());

        RenderedMessage ann = rendered(renderer.render(email, new EmailRenderer.Request(
                profile("p1", Map.of("firstName", "Ann")), Map.of(),
                Map.of("recommendations", List.of(Map.of("title", "Mug", "price", 12.5))), "m1")));
        Document doc = Jsoup.parse(ann.html());
        assertThat(ann.subject()).isEqualTo("Hi Ann");
        assertThat(doc.text()).contains("Hello Ann").contains("Mug €12.50").contains("Fresh picks for you");
        assertThat(doc.select("a[href^=https://t.example.com/t/c/]")).isNotEmpty();
        assertThat(ann.text()).contains("Hello Ann").doesNotContain("Fresh picks"); // preheader is hidden, not body text
        assertThat(ann.fallbacksUsed()).isEmpty();

        RenderedMessage vip = rendered(renderer.render(email, new EmailRenderer.Request(
                profile("p2", Map.of("tier", "vip")), Map.of(), Map.of(), "m2")));
        assertThat(Jsoup.parse(vip.html()).text()).contains("Welcome back, VIP there").contains("Our bestsellers are waiting")
                .doesNotContain("Hello");
        assertThat(vip.fallbacksUsed()).containsExactly("products (missing input items)");
    }
}
