package io.tessera.segment;

import io.tessera.event.Event;
import io.tessera.profile.Profile;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The brute-force evaluator: memberships recomputed from scratch over a profile's full stored
 * history at one instant, with no state and no cleverness. It is the ground truth the incremental
 * {@link SegmentEngine} is checked against (DESIGN.md invariant 4) and the "naive" baseline of the
 * benchmarks. Stateless and thread-safe.
 */
public final class HistoryEvaluator {
    private final ProfileScores scores;

    public HistoryEvaluator(ProfileScores scores) {
        this.scores = scores;
    }

    /** The keys of every segment the profile is in at {@code now}. */
    public Set<String> memberships(SegmentCatalog catalog, Profile profile, List<Event> history, Instant now) {
        Set<String> in = new HashSet<>();
        Map<String, List<String>> identities = new LinkedHashMap<>();
        profile.identities().forEach((k, v) -> identities.put(k.apiName(), v));
        SegmentInput input = new SegmentInput(profile.id(), profile.traitValues(), identities,
                scores.rfm(profile.id()), scores.predicted(profile.id()),
                a -> aggregate(a, history, now), in::contains, now);
        for (CompiledSegment s : catalog.ordered()) {
            if (s.evaluate(input).member()) {
                in.add(s.key());
            }
        }
        return in;
    }

    /** One aggregate computed by scanning the history. */
    public static Object aggregate(Aggregate a, List<Event> history, Instant now) {
        long count = 0;
        BigDecimal sum = BigDecimal.ZERO;
        Instant first = null;
        Instant last = null;
        for (Event e : history) {
            if (!a.matches(e) || !a.inside(e.timestamp(), now)) {
                continue;
            }
            count++;
            sum = sum.add(a.amount(e));
            first = first == null || e.timestamp().isBefore(first) ? e.timestamp() : first;
            last = last == null || e.timestamp().isAfter(last) ? e.timestamp() : last;
        }
        return switch (a.kind()) {
            case COUNT -> count;
            case SUM -> sum.doubleValue();
            case FIRST -> first == null ? Instant.EPOCH : first;
            case LAST -> last == null ? Instant.EPOCH : last;
        };
    }
}
