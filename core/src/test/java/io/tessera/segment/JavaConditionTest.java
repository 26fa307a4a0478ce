package io.tessera.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Java form of a condition always agrees with CEL: for every shape it compiles, on seeded random
 * profiles (missing traits, traits of the wrong type, NaN sums, the epoch for "never happened"),
 * its answer, when it gives one, is the CEL interpreter's, and {@code evaluate} equals CEL's result.
 */
class JavaConditionTest {
    private static final Instant NOW = Instant.parse("2026-11-02T12:00:00Z");
    private static final List<String> AGGREGATE_ONLY = List.of(
            "count(\"Product Viewed\", duration(\"48h\")) > 0 && count(\"Order Completed\", duration(\"48h\")) == 0",
            "count(\"Product Viewed\", duration(\"24h\"), {\"category\": \"shoes\"}) >= 2",
            "sum(\"Order Completed\", \"revenue\", days(7)) > 100.0",
            "sum(\"Order Completed\", \"revenue\") <= 49.5 || count(\"Search\") != 3",
            "!(count(\"Order Completed\") < 2) && count(\"Cart Viewed\", duration(\"1h\")) == 0",
            "first(\"Cart Viewed\") < last(\"Product Viewed\") || last(\"Search\") >= first(\"Search\")",
            "sum(\"Order Completed\", \"revenue\") == sum(\"Order Completed\", \"revenue\", days(7))",
            "sum(\"Order Completed\", \"revenue\") != 50.0 && !(sum(\"Search\", \"revenue\") > 0.0)",
            "in_segment(\"vip\") && !in_segment(\"other\") || count(\"Search\", duration(\"10s\")) > 1",
            "true && count(\"Search\") > 0 || false");
    private static final List<String> READING_MAPS = List.of(
            "traits.plan == \"pro\" && count(\"Search\") > 0",
            "has(traits.plan) && traits.plan == \"pro\" && sum(\"Order Completed\", \"revenue\") >= 50.0",
            "traits.plan != \"pro\" || traits.age > 30",
            "traits.vip == true || traits.score < 2.5",
            "rfm.group == \"Champions\" && predicted.p_alive < 0.5",
            "rfm.r >= 4 || !has(predicted.clv) || predicted.clv > 100.0",
            "!(traits.plan == \"free\")");

    private final SegmentCompiler compiler = new SegmentCompiler();

    private CompiledSegment compile(String condition) {
        CompileVerdict v = compiler.compile(new SegmentDefinition("s", "S", condition, 1, NOW));
        assertThat(v).as(condition).isInstanceOf(CompileVerdict.Compiled.class);
        return ((CompileVerdict.Compiled) v).segment();
    }

    @Test
    void javaFormAgreesWithCelOnRandomProfilesForEveryShape() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random r = new Random(seed);
        for (String condition : concat(AGGREGATE_ONLY, READING_MAPS)) {
            CompiledSegment s = compile(condition);
            assertThat(s.compiledToJava()).as("has a Java form: " + condition).isTrue();
            for (int i = 0; i < 1000; i++) {
                SegmentInput in = randomInput(r);
                boolean cel = s.evaluateCel(in).member();
                int java = s.javaAnswer(in);
                String where = condition + " (seed " + seed + ", sample " + i + ")";
                if (java != JavaCondition.UNKNOWN) {
                    assertThat(java == JavaCondition.TRUE).as(where).isEqualTo(cel);
                } else {
                    assertThat(AGGREGATE_ONLY).as("only map reads may leave the answer to CEL: " + where).doesNotContain(condition);
                }
                assertThat(s.evaluate(in).member()).as(where).isEqualTo(cel);
            }
        }
    }

    @Test
    void otherShapesStayWithCel() {
        CompiledSegment s = compile("\"ann@example.com\" in identities.email && count(\"Search\") > 0");
        assertThat(s.compiledToJava()).isFalse();
        SegmentInput in = new SegmentInput("p", Map.of(), Map.of("email", List.of("ann@example.com")), Map.of(), Map.of(),
                a -> 1L, k -> false, NOW);
        assertThat(s.evaluate(in).member()).isTrue();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static SegmentInput randomInput(Random r) {
        Map<Aggregate, Object> values = new HashMap<>();
        Map<String, Object> traits = new HashMap<>();
        pick(r, traits, "plan", "pro", "free", 3L);
        pick(r, traits, "age", 31L, 30L, 29.5, "old");
        pick(r, traits, "vip", true, false, "yes");
        pick(r, traits, "score", 2.5, 1.0, 3L, Double.NaN);
        Map<String, Object> rfm = new HashMap<>();
        pick(r, rfm, "group", "Champions", "At Risk");
        pick(r, rfm, "r", 5L, 4L, 1L);
        Map<String, Object> predicted = new HashMap<>();
        pick(r, predicted, "p_alive", 0.2, 0.5, 0.9);
        pick(r, predicted, "clv", 150.0, 100.0, 20.0);
        boolean vip = r.nextBoolean();
        boolean other = r.nextBoolean();
        return new SegmentInput("p", traits, Map.of(), rfm, predicted,
                a -> values.computeIfAbsent(a, k -> randomValue(k, r)), k -> k.equals("vip") ? vip : other, NOW);
    }

    private static Object randomValue(Aggregate a, Random r) {
        return switch (a.kind()) {
            case COUNT -> (long) r.nextInt(4);
            case SUM -> new double[] {0.0, 49.5, 50.0, 100.0, 120.25, Double.NaN}[r.nextInt(6)];
            case FIRST, LAST -> new Instant[] {Instant.EPOCH, NOW.minusSeconds(60), NOW.minusSeconds(3600)}[r.nextInt(3)];
        };
    }

    /** Leaves the key out about one time in four, else one of the values. */
    private static void pick(Random r, Map<String, Object> into, String key, Object... values) {
        int i = r.nextInt(values.length + 1);
        if (i < values.length) {
            into.put(key, values[i]);
        }
    }
}
