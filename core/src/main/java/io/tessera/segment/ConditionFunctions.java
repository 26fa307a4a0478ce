package io.tessera.segment;

import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelLateFunctionBindings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds the behavioural functions of the condition language to one profile's facts. The bindings
 * are late (per evaluation) because a function's answer depends on the profile being evaluated;
 * one resolver is built per profile and shared by every segment evaluated for it.
 */
final class ConditionFunctions {
    private ConditionFunctions() {}

    static CelLateFunctionBindings resolver(SegmentInput in) {
        return CelLateFunctionBindings.from(
                binding("count_s", in, Aggregate.Kind.COUNT, String.class),
                binding("count_s_d", in, Aggregate.Kind.COUNT, String.class, Object.class),
                binding("count_s_m", in, Aggregate.Kind.COUNT, String.class, Map.class),
                binding("count_s_d_m", in, Aggregate.Kind.COUNT, String.class, Object.class, Map.class),
                binding("sum_s_s", in, Aggregate.Kind.SUM, String.class, String.class),
                binding("sum_s_s_d", in, Aggregate.Kind.SUM, String.class, String.class, Object.class),
                binding("sum_s_s_m", in, Aggregate.Kind.SUM, String.class, String.class, Map.class),
                binding("sum_s_s_d_m", in, Aggregate.Kind.SUM, String.class, String.class, Object.class, Map.class),
                binding("first_s", in, Aggregate.Kind.FIRST, String.class),
                binding("first_s_m", in, Aggregate.Kind.FIRST, String.class, Map.class),
                binding("last_s", in, Aggregate.Kind.LAST, String.class),
                binding("last_s_m", in, Aggregate.Kind.LAST, String.class, Map.class),
                CelFunctionBinding.from("in_segment_s", String.class, key -> in.member().test(key)));
    }

    private static CelFunctionBinding binding(String id, SegmentInput in, Aggregate.Kind kind, Class<?>... types) {
        return CelFunctionBinding.from(id, List.of(types), args -> in.aggregates().apply(aggregateOf(kind, args)));
    }

    /** Rebuilds the aggregate key from runtime arguments; equal to the one the compiler extracted. */
    static Aggregate aggregateOf(Aggregate.Kind kind, Object[] args) {
        String event = (String) args[0];
        int next = 1;
        String property = "";
        if (kind == Aggregate.Kind.SUM) {
            property = (String) args[1];
            next = 2;
        }
        Optional<Duration> window = Optional.empty();
        Map<?, ?> filter = Map.of();
        for (int i = next; i < args.length; i++) {
            if (args[i] instanceof Map<?, ?> m) {
                filter = m;
            } else {
                window = Optional.of(toDuration(args[i]));
            }
        }
        return new Aggregate(kind, event, property, window, Aggregate.normalizeFilter(filter));
    }

    private static Duration toDuration(Object o) {
        if (o instanceof Duration d) {
            return d;
        }
        if (o instanceof com.google.protobuf.Duration p) {
            return Duration.ofSeconds(p.getSeconds(), p.getNanos());
        }
        throw new IllegalArgumentException("not a duration: " + o);
    }

    /** The CEL value of a FIRST/LAST aggregate: the instant, or the epoch when the event never happened. */
    static Instant instantOrEpoch(Optional<Instant> t) {
        return t.orElse(Instant.EPOCH);
    }
}
