package io.tessera.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SegmentCompilerTest {
    private static final Instant NOW = Instant.parse("2026-11-02T12:00:00Z");
    private final SegmentCompiler compiler = new SegmentCompiler();

    private CompiledSegment compile(String condition) {
        CompileVerdict v = compiler.compile(new SegmentDefinition("s", "S", condition, 1, NOW));
        assertThat(v).isInstanceOf(CompileVerdict.Compiled.class);
        return ((CompileVerdict.Compiled) v).segment();
    }

    private static SegmentInput input(List<Event> history, Map<String, Object> traits) {
        return new SegmentInput("p_1", traits, Map.of("email", List.of("ann@example.com")), Map.of("group", "Champions", "r", 5L),
                Map.of("p_alive", 0.4), a -> HistoryEvaluator.aggregate(a, history, NOW), k -> k.equals("vip"), NOW);
    }

    private static Event track(String name, Map<String, Object> props, Instant at) {
        return Event.track("m" + at.toEpochMilli() + name, "u1", name, props, at);
    }

    @Test
    void seedBrowseAbandonerExampleWorksAsWritten() {
        CompiledSegment s = compile("count(\"Product Viewed\", duration(\"48h\")) > 0 && count(\"Order Completed\", duration(\"48h\")) == 0");
        assertThat(s.aggregates()).containsExactlyInAnyOrder(
                new Aggregate(Aggregate.Kind.COUNT, "Product Viewed", "", Optional.of(Duration.ofHours(48)), Map.of()),
                new Aggregate(Aggregate.Kind.COUNT, "Order Completed", "", Optional.of(Duration.ofHours(48)), Map.of()));
        assertThat(s.timeDependent()).isTrue();

        List<Event> viewed = List.of(track("Product Viewed", Map.of(), NOW.minus(Duration.ofHours(3))));
        assertThat(s.evaluate(input(viewed, Map.of())).member()).isTrue();
        List<Event> bought = List.of(viewed.get(0), track("Order Completed", Map.of(), NOW.minus(Duration.ofHours(1))));
        assertThat(s.evaluate(input(bought, Map.of())).member()).isFalse();
        List<Event> stale = List.of(track("Product Viewed", Map.of(), NOW.minus(Duration.ofHours(48))));
        assertThat(s.evaluate(input(stale, Map.of())).member()).isFalse();
    }

    @Test
    void countsWithPropertyFilterSumsFirstLastAndDays() {
        List<Event> h = List.of(
                track("Order Completed", Map.of("revenue", 30, "category", "shoes"), NOW.minus(Duration.ofDays(2))),
                track("Order Completed", Map.of("revenue", "12.5", "category", "hats"), NOW.minus(Duration.ofDays(10))),
                track("Order Completed", Map.of("revenue", 7.5, "category", "shoes"), NOW.minus(Duration.ofDays(40))));
        assertThat(compile("count(\"Order Completed\", days(7), {\"category\": \"shoes\"}) == 1").evaluate(input(h, Map.of())).member()).isTrue();
        assertThat(compile("count(\"Order Completed\", {\"category\": \"shoes\"}) == 2").evaluate(input(h, Map.of())).member()).isTrue();
        assertThat(compile("sum(\"Order Completed\", \"revenue\") == 50.0").evaluate(input(h, Map.of())).member()).isTrue();
        assertThat(compile("sum(\"Order Completed\", \"revenue\", duration(\"720h\")) == 42.5").evaluate(input(h, Map.of())).member()).isTrue();
        assertThat(compile("first(\"Order Completed\") < timestamp(\"2026-10-01T00:00:00Z\")").evaluate(input(h, Map.of())).member()).isTrue();
        assertThat(compile("last(\"Order Completed\") == timestamp(\"2026-10-31T12:00:00Z\")").evaluate(input(h, Map.of())).member()).isTrue();
        assertThat(compile("last(\"Never Happened\") == timestamp(\"1970-01-01T00:00:00Z\")").evaluate(input(h, Map.of())).member()).isTrue();
    }

    @Test
    void readsTraitsIdentitiesOtherSegmentsAndScores() {
        CompiledSegment s = compile("traits.plan == \"pro\" && \"ann@example.com\" in identities.email && in_segment(\"vip\")"
                + " && rfm.group == \"Champions\" && predicted.p_alive < 0.5");
        assertThat(s.dependsOn()).containsExactly("vip");
        assertThat(s.readsProfile()).isTrue();
        assertThat(s.readsScores()).isTrue();
        assertThat(s.evaluate(input(List.of(), Map.of("plan", "pro"))).member()).isTrue();
    }

    @Test
    void aMissingTraitMakesTheConditionFalseNotAnError() {
        CompiledSegment s = compile("traits.plan == \"pro\"");
        CompiledSegment.Evaluation e = s.evaluate(input(List.of(), Map.of()));
        assertThat(e.member()).isFalse();
        assertThat(e.error()).isPresent();
        assertThat(compile("has(traits.plan) && traits.plan == \"pro\"").evaluate(input(List.of(), Map.of())).error()).isEmpty();
    }

    @Test
    void rejectsASyntaxErrorWithItsPosition() {
        CompileVerdict v = compiler.compile(new SegmentDefinition("s", "S", "count(\"Product Viewed\") >", 1, NOW));
        assertThat(v).isInstanceOfSatisfying(CompileVerdict.Invalid.class, bad -> {
            assertThat(bad.code()).isEqualTo("invalid_condition");
            assertThat(bad.line()).isEqualTo(1);
            assertThat(bad.column()).isEqualTo(26);
            assertThat(bad.message()).isNotBlank();
        });
    }

    @Test
    void rejectsUnknownFunctionsTypeErrorsAndNonBooleanConditions() {
        assertThat(compiler.compile(new SegmentDefinition("s", "S", "cont(\"X\") > 0", 1, NOW)))
                .isInstanceOfSatisfying(CompileVerdict.Invalid.class, bad -> assertThat(bad.message()).contains("cont"));
        assertThat(compiler.compile(new SegmentDefinition("s", "S", "count(\"X\") > \"3\"", 1, NOW)))
                .isInstanceOf(CompileVerdict.Invalid.class);
        assertThat(compiler.compile(new SegmentDefinition("s", "S", "count(\"X\")", 1, NOW)))
                .isInstanceOfSatisfying(CompileVerdict.Invalid.class, bad -> assertThat(bad.message()).contains("true or false"));
    }

    @Test
    void rejectsNonLiteralAggregateArgumentsAtTheirPosition() {
        CompileVerdict v = compiler.compile(new SegmentDefinition("s", "S", "count(traits.favourite, duration(\"1h\")) > 0", 1, NOW));
        assertThat(v).isInstanceOfSatisfying(CompileVerdict.Invalid.class, bad -> {
            assertThat(bad.message()).contains("literal");
            assertThat(bad.column()).isBetween(7, 14);
        });
        assertThat(compiler.compile(new SegmentDefinition("s", "S", "count(\"X\", duration(\"2 days\")) > 0", 1, NOW)))
                .isInstanceOfSatisfying(CompileVerdict.Invalid.class, bad -> assertThat(bad.message()).contains("not a duration"));
    }

    @Test
    void explainsTheValueOfEachSubExpression() {
        CompiledSegment s = compile("count(\"Product Viewed\", duration(\"48h\")) > 0 && count(\"Order Completed\", duration(\"48h\")) == 0");
        List<Event> h = List.of(track("Product Viewed", Map.of(), NOW.minus(Duration.ofHours(3))),
                track("Product Viewed", Map.of(), NOW.minus(Duration.ofHours(2))));
        Explanation x = s.explain(input(h, Map.of()));
        assertThat(x.member()).isTrue();
        assertThat(x.steps()).contains(
                new Explanation.Step("count(\"Product Viewed\", duration(\"48h\"))", "2"),
                new Explanation.Step("count(\"Product Viewed\", duration(\"48h\")) > 0", "true"),
                new Explanation.Step("count(\"Order Completed\", duration(\"48h\")) == 0", "true"));
    }

    @Test
    void rewrittenFastFormAgreesWithLateBoundFunctions() {
        List<String> conditions = List.of(
                "count(\"Product Viewed\", duration(\"48h\")) > 0 && count(\"Order Completed\", duration(\"48h\")) == 0",
                "sum(\"Order Completed\", \"revenue\", days(7)) > 20.0 || in_segment(\"vip\")",
                "first(\"Order Completed\") < last(\"Product Viewed\")",
                "count(\"Order Completed\", {\"category\": \"shoes\"}) >= 1 && traits.plan == \"pro\"",
                "!in_segment(\"vip\") && count(\"Product Viewed\") == 0");
        java.util.Random r = new java.util.Random(4);
        for (int round = 0; round < 50; round++) {
            List<Event> h = new java.util.ArrayList<>();
            for (int i = 0; i < r.nextInt(5); i++) {
                h.add(track(r.nextBoolean() ? "Product Viewed" : "Order Completed",
                        Map.of("revenue", r.nextInt(30), "category", r.nextBoolean() ? "shoes" : "hats"), NOW.minus(Duration.ofHours(r.nextInt(200)))));
            }
            Map<String, Object> traits = r.nextBoolean() ? Map.of("plan", "pro") : Map.of();
            for (String c : conditions) {
                CompiledSegment s = compile(c);
                CompiledSegment.Evaluation fast = s.evaluate(input(h, traits));
                CompiledSegment.Evaluation slow = s.evaluateSlowly(input(h, traits));
                assertThat(fast.member()).as(c).isEqualTo(slow.member());
                assertThat(fast.error().isPresent()).as(c).isEqualTo(slow.error().isPresent());
            }
        }
    }
}
