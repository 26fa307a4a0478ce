package io.tessera.content;

import static io.tessera.content.EmailFixtures.CLOCK;
import static io.tessera.content.EmailFixtures.TRACKING;
import static io.tessera.content.EmailFixtures.block;
import static io.tessera.content.EmailFixtures.html;
import static io.tessera.content.EmailFixtures.profile;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.content.liquid.EmailFilters;
import io.tessera.content.liquid.LiquidEngine;
import io.tessera.content.liquid.SnippetSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which versions get a text template, and that the text is the per-message scan's either way: a
 * version the derivation cannot prove equal keeps the scan (and its structure check), one it can
 * gives the same text from the text template, for random hostile data, with and without link
 * tracking, on the compiled engine and on liqp.
 */
class TextTemplateTest {

    private static final String[] VALUES = {"Ann", "", " ", "<b>x</b>", "a & b", "&amp;", "\"q\" 'q'", "line\nbreak",
            "no\u00A0break", "{{ x }}", "\uE008\uE101", "\uE009", "\uE00A\uE00B", "https://x.example.com/a?b=1&c=2",
            "#top", "javascript:alert(1)", "x style=display:none", "Zoë 😀"};

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            derived   | <p>Hi {{ profile.name }}, <a href="{{ profile.url }}">{{ profile.name }}</a></p>{% if profile.vip %}<div>VIP {{ profile.city }}</div>{% else %}<p>-</p>{% endif %}
            derived   | <ul>{% for x in (1..3) %}<li>{{ x }} {{ profile.city }}</li>{% endfor %}</ul><a href="{{ profile.url }}">{{ profile.url }}</a>
            derived   | <p>{{- profile.name -}}   x   {%- if profile.vip -%}  <b> VIP </b>  {%- endif -%}</p>
            derived   | <div style="display:none">{{ profile.name }}{% if profile.vip %}<a href="{{ profile.url }}">x</a>{% endif %}</div><p>{{ profile.city }}</p>
            derived   | <p>A &amp; B {{ profile.name }}</p><img src="https://i.example.com/{{ profile.name }}.png" alt="{{ profile.city }}">
            scanned   | {% if profile.vip %}<div>{% endif %}<p>{{ profile.name }}</p>{% if profile.vip %}</div>{% endif %}
            scanned   | <p class="{% if profile.vip %}vip{% endif %}">{{ profile.name }}</p>
            scanned   | <p title="{{ profile.city }}">{{ profile.name }}</p>
            scanned   | <p>{{ profile.name | safe }}</p>
            scanned   | <p>&{{ profile.name }}</p>
            scanned   | {% capture c %}<b>{{ profile.name }}</b>{% endcapture %}<p>{{ c }}</p>
            scanned   | <p>{{ profile.name }}</div>
            """)
    void textIsTheScannedTextWhetherOrNotTheVersionHasATextTemplate(String expected, String body) {
        for (LiquidEngine liquid : List.of(LiquidEngine.email(SnippetSource.NONE, EmailFilters.Settings.DEFAULTS),
                LiquidEngine.liqpEmail(SnippetSource.NONE, EmailFilters.Settings.DEFAULTS))) {
            EmailTemplate t = html("Hi", "<html><body>{{ blocks }}<p><a href=\"{{ unsubscribe_url }}\" data-notrack>Unsubscribe</a></p></body></html>",
                    block("b", body, "<p>fallback</p>"));
            EmailCompiler.Verdict withText = new EmailCompiler(liquid, new SegmentContentConditions(), true).compile(t);
            EmailCompiler.Verdict scanned = new EmailCompiler(liquid, new SegmentContentConditions(), false).compile(t);
            if (!(withText instanceof EmailCompiler.Verdict.Compiled c) || !(scanned instanceof EmailCompiler.Verdict.Compiled s)) {
                assertThat(withText).isEqualTo(scanned); // the same refusal
                continue;
            }
            boolean trims = body.contains("{{-") || body.contains("{%-");
            boolean derivable = expected.strip().equals("derived") && !(trims && liquid.engineName().equals("liqp"));
            assertThat(c.email().text().isPresent()).as(liquid.engineName()).isEqualTo(derivable);
            long seed = new Random().nextLong();
            Random rnd = new Random(seed);
            for (EmailRenderer renderer : List.of(new EmailRenderer(CLOCK, Optional.of(TRACKING), new RenderErrors()),
                    new EmailRenderer(CLOCK, Optional.empty(), new RenderErrors()))) {
                for (int i = 0; i < 60; i++) {
                    Map<String, Object> traits = new LinkedHashMap<>();
                    traits.put("name", VALUES[rnd.nextInt(VALUES.length)]);
                    traits.put("city", VALUES[rnd.nextInt(VALUES.length)]);
                    traits.put("url", VALUES[rnd.nextInt(VALUES.length)]);
                    traits.put("vip", rnd.nextBoolean());
                    EmailRenderer.Request r = new EmailRenderer.Request(profile("p" + i, traits), Map.of(), Map.of(), "m" + i);
                    assertThat(renderer.render(c.email(), r)).as("%s, seed %d, %s", liquid.engineName(), seed, traits)
                            .isEqualTo(renderer.render(s.email(), r));
                }
            }
        }
    }
}
