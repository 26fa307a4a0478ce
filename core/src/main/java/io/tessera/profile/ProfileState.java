package io.tessera.profile;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A profile being changed by the engine within one batch: the mutable twin of {@link Profile}.
 * Confined to the engine's thread; {@link #snapshot} hands out immutable copies.
 *
 * <p>Rules it keeps: a trait takes a value only from an event at least as recent as the one that
 * set it (ties go to the later arrival), aggregates are keyed by the track event name or else by
 * the call type ("page", "identify", …), and the timeline holds the {@value #TIMELINE} most recent
 * events by event time, oldest first.
 */
final class ProfileState {
    static final int TIMELINE = Profile.TIMELINE_LIMIT;
    private static final Comparator<Event> BY_TIME = Comparator.comparing(Event::timestamp);

    final String id;
    private final Map<IdentityKind, List<String>> identities = new EnumMap<>(IdentityKind.class);
    private final Map<String, TraitValue> traits = new HashMap<>();
    private final Map<String, EventAggregate> events = new HashMap<>();
    private final List<Event> timeline = new ArrayList<>(TIMELINE + 1);
    private long lastOffset = -1;

    ProfileState(String id) {
        this.id = id;
    }

    static ProfileState of(Profile p) {
        ProfileState s = new ProfileState(p.id());
        p.identities().forEach((k, v) -> s.identities.put(k, new ArrayList<>(v)));
        s.traits.putAll(p.traits());
        s.events.putAll(p.events());
        s.timeline.addAll(p.timeline());
        s.lastOffset = p.lastOffset();
        return s;
    }

    Profile snapshot() {
        Map<IdentityKind, List<String>> ids = new EnumMap<>(IdentityKind.class);
        identities.forEach((k, v) -> ids.put(k, List.copyOf(v)));
        return new Profile(id, ids, traits, events, timeline, lastOffset);
    }

    List<String> identities(IdentityKind kind) {
        return identities.getOrDefault(kind, List.of());
    }

    List<Identity> allIdentities() {
        List<Identity> out = new ArrayList<>();
        identities.forEach((k, values) -> values.forEach(v -> out.add(new Identity(k, v))));
        return out;
    }

    void addIdentity(Identity identity) {
        List<String> values = identities.computeIfAbsent(identity.kind(), k -> new ArrayList<>(2));
        if (!values.contains(identity.value())) {
            values.add(identity.value());
        }
    }

    /** Applies one event's traits, aggregate and timeline entry. */
    void apply(Event e, long offset) {
        traitsOf(e).forEach((k, v) -> setTrait(k, new TraitValue(v, e.timestamp())));
        String key = e.type() == EventType.TRACK ? e.name() : e.type().wireName();
        events.merge(key, aggregateOf(e), ProfileState::combine);
        insertIntoTimeline(e);
        lastOffset = Math.max(lastOffset, offset);
    }

    /** Takes everything of {@code other} (merged away into this profile). */
    void absorb(ProfileState other) {
        other.identities.forEach((k, values) -> values.forEach(v -> addIdentity(new Identity(k, v))));
        other.traits.forEach(this::setTraitIfNewer);
        other.events.forEach((k, a) -> events.merge(k, a, ProfileState::combine));
        other.timeline.forEach(this::insertIntoTimeline);
        lastOffset = Math.max(lastOffset, other.lastOffset);
    }

    /**
     * Takes everything of {@code other}, handed over from another partition; the position is this
     * partition's ({@code offset}: the hand-off record's), not the loser's.
     */
    void absorbHandedOver(ProfileState other, long offset) {
        long own = lastOffset;
        absorb(other);
        lastOffset = Math.max(own, offset);
    }

    /** {@link Profile#homeKey} of this state. */
    java.util.Optional<String> homeKey() {
        List<String> users = identities(IdentityKind.USER_ID);
        if (!users.isEmpty()) {
            return java.util.Optional.of(users.get(0));
        }
        List<String> anonymous = identities(IdentityKind.ANONYMOUS_ID);
        return anonymous.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(anonymous.get(0));
    }

    boolean inTimeline(String messageId) {
        for (Event e : timeline) {
            if (e.messageId().equals(messageId)) {
                return true;
            }
        }
        return false;
    }

    /** The person traits an event carries: identify's traits, else {@code context.traits}. */
    static Map<String, Object> traitsOf(Event e) {
        return switch (e.type()) {
            case IDENTIFY -> e.traits();
            case GROUP -> Map.of(); // group traits describe the account, not the person
            default -> e.context().get("traits") instanceof Map<?, ?> m ? castMap(m) : Map.of();
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private void setTrait(String key, TraitValue value) {
        TraitValue current = traits.get(key);
        if (current == null || !current.setAt().isAfter(value.setAt())) {
            traits.put(key, value);
        }
    }

    private void setTraitIfNewer(String key, TraitValue value) {
        TraitValue current = traits.get(key);
        if (current == null || value.setAt().isAfter(current.setAt())) {
            traits.put(key, value);
        }
    }

    private static EventAggregate aggregateOf(Event e) {
        Map<String, Double> sums = new HashMap<>();
        e.properties().forEach((k, v) -> {
            if (v instanceof Number n) {
                double d = n.doubleValue();
                if (Double.isFinite(d)) {
                    sums.put(k, d);
                }
            }
        });
        return new EventAggregate(1, e.timestamp(), e.timestamp(), sums);
    }

    private static EventAggregate combine(EventAggregate a, EventAggregate b) {
        Map<String, Double> sums = new HashMap<>(a.sums());
        b.sums().forEach((k, v) -> sums.merge(k, v, Double::sum));
        Instant first = a.first().isAfter(b.first()) ? b.first() : a.first();
        Instant last = a.last().isBefore(b.last()) ? b.last() : a.last();
        return new EventAggregate(a.count() + b.count(), first, last, sums);
    }

    private void insertIntoTimeline(Event e) {
        int at = timeline.size();
        while (at > 0 && BY_TIME.compare(timeline.get(at - 1), e) > 0) {
            at--;
        }
        if (at == 0 && timeline.size() >= TIMELINE) {
            return; // older than everything kept
        }
        timeline.add(at, e);
        if (timeline.size() > TIMELINE) {
            timeline.remove(0);
        }
    }
}
