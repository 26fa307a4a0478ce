package io.tessera.segment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The active segments, as an immutable value: ordered so that a segment comes after every segment
 * it reads through {@code in_segment}, and indexed by what can change them (event names, profile
 * traits, scores, the clock). Replaced as a whole when a segment is saved or deleted.
 */
public final class SegmentCatalog {
    public static final SegmentCatalog EMPTY = new SegmentCatalog(Map.of());

    private final Map<String, CompiledSegment> byKey;
    private final List<CompiledSegment> ordered;
    private final Map<String, Set<String>> byEventName;
    private final Set<Aggregate> aggregates;
    private final Map<String, List<Aggregate>> aggregatesByEvent;
    private final Map<Aggregate, Set<String>> byAggregate;
    private final Set<Aggregate> windowed;

    private SegmentCatalog(Map<String, CompiledSegment> byKey) {
        this.byKey = Map.copyOf(byKey);
        this.ordered = topologicalOrder(byKey);
        Map<String, Set<String>> index = new HashMap<>();
        Set<Aggregate> all = new LinkedHashSet<>();
        for (CompiledSegment s : ordered) {
            for (Aggregate a : s.aggregates()) {
                index.computeIfAbsent(a.event(), k -> new HashSet<>()).add(s.key());
                all.add(a);
            }
        }
        this.byEventName = index;
        this.aggregates = Set.copyOf(all);
        Map<String, List<Aggregate>> byEvent = new HashMap<>();
        for (Aggregate a : this.aggregates) {
            byEvent.computeIfAbsent(a.event(), k -> new ArrayList<>()).add(a);
        }
        byEvent.replaceAll((k, v) -> List.copyOf(v));
        this.aggregatesByEvent = Map.copyOf(byEvent);
        Map<Aggregate, Set<String>> readers = new HashMap<>();
        for (CompiledSegment s : ordered) {
            s.aggregates().forEach(a -> readers.computeIfAbsent(a, k -> new HashSet<>()).add(s.key()));
        }
        this.byAggregate = readers;
        this.windowed = Set.copyOf(this.aggregates.stream().filter(Aggregate::windowed).toList());
    }

    /** Keys of the segments reading this aggregate. */
    Set<String> readingAggregate(Aggregate a) {
        return byAggregate.getOrDefault(a, Set.of());
    }

    /** Every windowed aggregate: the ones whose values change as time passes. */
    Set<Aggregate> windowedAggregates() {
        return windowed;
    }

    /** The segments and every segment reading them (directly or not), dependencies first. */
    Set<String> closure(Collection<String> keys) {
        Set<String> out = new LinkedHashSet<>(keys);
        for (CompiledSegment s : ordered) {
            if (s.dependsOn().stream().anyMatch(out::contains)) {
                out.add(s.key());
            }
        }
        return out;
    }

    /** The aggregates the given segments read. */
    Set<Aggregate> aggregatesOf(Collection<String> keys) {
        Set<Aggregate> out = new HashSet<>();
        for (String k : keys) {
            CompiledSegment s = byKey.get(k);
            if (s != null) {
                out.addAll(s.aggregates());
            }
        }
        return out;
    }

    /** This catalog with the segment added or replaced, or why that is impossible. */
    public Result with(CompiledSegment segment) {
        for (String dep : segment.dependsOn()) {
            if (dep.equals(segment.key())) {
                return new Result(Optional.empty(), Optional.of("a segment cannot contain itself: in_segment(\"" + dep + "\")"));
            }
            if (!byKey.containsKey(dep)) {
                return new Result(Optional.empty(), Optional.of("unknown segment in in_segment(\"" + dep + "\")"));
            }
            if (dependents(segment.key()).contains(dep)) {
                return new Result(Optional.empty(), Optional.of("in_segment(\"" + dep + "\") makes a cycle: " + dep + " already reads " + segment.key()));
            }
        }
        Map<String, CompiledSegment> next = new LinkedHashMap<>(byKey);
        next.put(segment.key(), segment);
        return new Result(Optional.of(new SegmentCatalog(next)), Optional.empty());
    }

    /** This catalog without the segment, or why not (another segment reads it). */
    public Result without(String key) {
        for (CompiledSegment s : ordered) {
            if (s.dependsOn().contains(key)) {
                return new Result(Optional.empty(), Optional.of("segment " + s.key() + " reads in_segment(\"" + key + "\")"));
            }
        }
        Map<String, CompiledSegment> next = new LinkedHashMap<>(byKey);
        next.remove(key);
        return new Result(Optional.of(new SegmentCatalog(next)), Optional.empty());
    }

    /** A new catalog, or the reason it could not be made. */
    public record Result(Optional<SegmentCatalog> catalog, Optional<String> error) {}

    public Optional<CompiledSegment> get(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** Every segment, dependencies first. */
    public List<CompiledSegment> ordered() {
        return ordered;
    }

    public Set<Aggregate> aggregates() {
        return aggregates;
    }

    /** The aggregates over this event name. */
    List<Aggregate> aggregatesOn(String eventName) {
        return aggregatesByEvent.getOrDefault(eventName, List.of());
    }

    /** Keys of the segments with an aggregate over this event name. */
    public Set<String> readingEvent(String eventName) {
        return byEventName.getOrDefault(eventName, Set.of());
    }

    /** The segment and every segment that reads it, directly or not. */
    public Set<String> dependents(String key) {
        Set<String> out = new LinkedHashSet<>();
        out.add(key);
        for (CompiledSegment s : ordered) {
            if (s.dependsOn().stream().anyMatch(out::contains)) {
                out.add(s.key());
            }
        }
        return out;
    }

    public Collection<String> keys() {
        return byKey.keySet();
    }

    private static List<CompiledSegment> topologicalOrder(Map<String, CompiledSegment> byKey) {
        List<CompiledSegment> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        List<String> keys = new ArrayList<>(byKey.keySet());
        java.util.Collections.sort(keys);
        for (String k : keys) {
            visit(k, byKey, done, out);
        }
        return List.copyOf(out);
    }

    private static void visit(String key, Map<String, CompiledSegment> byKey, Set<String> done, List<CompiledSegment> out) {
        CompiledSegment s = byKey.get(key);
        if (s == null || !done.add(key)) {
            return;
        }
        s.dependsOn().forEach(d -> visit(d, byKey, done, out));
        out.add(s);
    }
}
