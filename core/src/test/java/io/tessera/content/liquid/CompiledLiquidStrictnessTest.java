package io.tessera.content.liquid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The compiled engine refuses bad templates when they are parsed (with the line), and the email
 * dialect on it keeps the escaping contract and our filters.
 */
class CompiledLiquidStrictnessTest {

    private final LiquidEngine standard = LiquidEngine.standard(SnippetSource.NONE);
    private final LiquidEngine email = LiquidEngine.email(SnippetSource.of(Map.of("card", "<b>{{ title }}</b>")),
            EmailFilters.Settings.DEFAULTS);

    @Test
    void anUnknownTagIsRefusedWithItsLine() {
        ParseVerdict v = standard.parse("hello\n{% frobnicate %}");
        assertThat(v).isInstanceOfSatisfying(ParseVerdict.Invalid.class, i -> {
            assertThat(i.code()).isEqualTo("unknown_tag");
            assertThat(i.message()).contains("line 2").contains("frobnicate");
        });
    }

    @Test
    void anUnknownFilterAndAWrongArgumentCountAreRefused() {
        assertThat(standard.parse("{{ x | no_such_filter }}"))
                .isInstanceOfSatisfying(ParseVerdict.Invalid.class, i -> assertThat(i.code()).isEqualTo("unknown_filter"));
        assertThat(standard.parse("{{ x | append: 'a', 'b' }}"))
                .isInstanceOfSatisfying(ParseVerdict.Invalid.class, i -> assertThat(i.code()).isEqualTo("filter_arguments"));
    }

    @Test
    void anUnclosedBlockIsRefused() {
        assertThat(standard.parse("{% if x %}open")).isInstanceOf(ParseVerdict.Invalid.class);
    }

    @Test
    void theDefaultEngineIsTheCompiledOneAndLiqpStaysAvailable() {
        assertThat(standard.engineName()).isEqualTo("compiled");
        assertThat(LiquidEngine.liqpStandard(SnippetSource.NONE).engineName()).isEqualTo("liqp");
    }

    @Test
    void emailDialectEscapesDataInSnippetsAndFormatsMoney() {
        LiquidTemplate t = email.parse("{% render 'card', title: name %} {{ price | money: 'EUR' }}").orThrow();
        RenderOutcome out = t.render(Map.of("name", "<script>x</script>", "price", 1234.5));
        assertThat(out).isInstanceOfSatisfying(RenderOutcome.Rendered.class, r ->
                assertThat(r.output()).isEqualTo("<b>&lt;script&gt;x&lt;/script&gt;</b> €1,234.50"));
    }

    @Test
    void moneyRoundsADoubleAsItPrintsOnBothEngines() {
        double compareAt = 30.26 * 1.25; // 37.825 printed, 37.82500000000000284… stored
        LiquidEngine liqp = LiquidEngine.liqpEmail(SnippetSource.NONE, EmailFilters.Settings.DEFAULTS);
        for (LiquidEngine engine : java.util.List.of(email, liqp)) {
            RenderOutcome out = engine.parse("{{ p | money: 'USD' }} {{ q | money: 'USD' }}").orThrow()
                    .render(Map.of("p", compareAt, "q", "37.825"));
            assertThat(out).as(engine.engineName()).isInstanceOfSatisfying(RenderOutcome.Rendered.class, r ->
                    assertThat(r.output()).isEqualTo("$37.82 $37.82"));
        }
    }

    @Test
    void aRenderErrorIsAnOutcomeNotAnException() {
        LiquidTemplate t = standard.parse("{{ 1 | divided_by: x }}").orThrow();
        assertThat(t.render(Map.of("x", 0))).isInstanceOf(RenderOutcome.Failed.class);
        assertThat(standard.parse("{% render 'missing' %}").orThrow().render(Map.of()))
                .isInstanceOf(RenderOutcome.Failed.class);
    }
}
