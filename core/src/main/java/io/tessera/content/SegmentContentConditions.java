package io.tessera.content;

import io.tessera.event.Event;
import io.tessera.event.JsonValues;
import io.tessera.profile.Profile;
import io.tessera.segment.Aggregate;
import io.tessera.segment.CompileVerdict;
import io.tessera.segment.CompiledSegment;
import io.tessera.segment.SegmentCompiler;
import io.tessera.segment.SegmentDefinition;
import io.tessera.segment.SegmentInput;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Content rules in the segments' CEL dialect ({@code traits.plan == "pro"},
 * {@code count("Product Viewed", days(7), {"category": "shoes"}) > 0} …), evaluated on
 * the profile at render time. Windowed aggregates are computed from the profile's recent timeline
 * (bounded), which is what a message about recent behaviour needs; segment memberships, RFM and
 * predicted scores are not available to content rules (they read as absent). Thread-safe.
 */
public final class SegmentContentConditions implements ContentCondition.Compiler {

    private final SegmentCompiler compiler = new SegmentCompiler();

    @Override
    public ContentCondition.ConditionVerdict compile(String condition) {
        CompileVerdict v = compiler.compile(new SegmentDefinition("content_rule", "content rule", condition, 1, Instant.EPOCH));
        return switch (v) {
            case CompileVerdict.Compiled c -> new ContentCondition.ConditionVerdict.Compiled(adapt(c.segment()));
            case CompileVerdict.Invalid i -> new ContentCondition.ConditionVerdict.Invalid(i.message() + " at " + i.line() + ":" + i.column());
        };
    }

    private static ContentCondition adapt(CompiledSegment segment) {
        return (profile, now) -> segment.evaluate(input(profile, now)).member();
    }

    private static SegmentInput input(Profile p, Instant now) {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        p.identities().forEach((k, v) -> ids.put(k.apiName(), v));
        return new SegmentInput(p.id(), p.traitValues(), ids, Map.of(), Map.of(),
                a -> aggregate(p, a, now), key -> false, now);
    }

    private static Object aggregate(Profile p, Aggregate a, Instant now) {
        long count = 0;
        double sum = 0;
        Instant first = null;
        Instant last = null;
        for (Event e : p.timeline()) {
            if (!e.name().equals(a.event())) {
                continue;
            }
            if (a.window().isPresent() && e.timestamp().isBefore(now.minus(a.window().get()))) {
                continue;
            }
            if (!matches(e.properties(), a.filter())) {
                continue;
            }
            count++;
            if (!a.property().isEmpty()) {
                sum += JsonValues.at(e.properties(), a.property()).flatMap(JsonValues::asDecimal)
                        .map(BigDecimal::doubleValue).orElse(0.0);
            }
            first = first == null || e.timestamp().isBefore(first) ? e.timestamp() : first;
            last = last == null || e.timestamp().isAfter(last) ? e.timestamp() : last;
        }
        return switch (a.kind()) {
            case COUNT -> count;
            case SUM -> sum;
            case FIRST -> first == null ? Instant.EPOCH : first;
            case LAST -> last == null ? Instant.EPOCH : last;
        };
    }

    private static boolean matches(Map<String, Object> props, Map<String, Object> filter) {
        for (Map.Entry<String, Object> f : filter.entrySet()) {
            Optional<Object> v = JsonValues.at(props, f.getKey());
            if (v.isEmpty()) {
                return false;
            }
            Object want = f.getValue();
            Object got = v.get();
            if (want instanceof BigDecimal d) {
                if (JsonValues.asDecimal(got).map(x -> x.compareTo(d) != 0).orElse(true)) {
                    return false;
                }
            } else if (!Objects.equals(String.valueOf(want), String.valueOf(got))) {
                return false;
            }
        }
        return true;
    }
}
