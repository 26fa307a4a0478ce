package io.tessera.profile;

import io.tessera.event.Event;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of one customer's unified profile: identities, traits, per-event
 * aggregates and the most recent events. Memberships and scores belong to their own stages and
 * are joined in by the read API.
 *
 * @param id          stable profile id ({@code p_…}); survives merges on the surviving side
 * @param identities  identifiers by kind, in the order first seen
 * @param traits      trait name → value with the event time that set it
 * @param events      event name → aggregate
 * @param timeline    the {@value #TIMELINE_LIMIT} most recent events by event time, oldest first; stores
 *                    derive it from the profile's history, so it is never written twice
 * @param lastOffset  the log offset of the last event applied (for idempotency checks and tests)
 */
public record Profile(
        String id,
        Map<IdentityKind, List<String>> identities,
        Map<String, TraitValue> traits,
        Map<String, EventAggregate> events,
        List<Event> timeline,
        long lastOffset) {

    /** How many recent events a profile's timeline holds. */
    public static final int TIMELINE_LIMIT = 50;

    public Profile {
        identities = Map.copyOf(identities);
        traits = Map.copyOf(traits);
        events = Map.copyOf(events);
        timeline = List.copyOf(timeline);
    }

    /**
     * Trait values without their times, as templates and conditions see them. A trait the client
     * set to null (Segment's way of clearing it) is unset here: it is left out.
     */
    public Map<String, Object> traitValues() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        traits.forEach((k, v) -> {
            if (v.value() != null) {
                out.put(k, v.value());
            }
        });
        return out;
    }

    /**
     * The key this profile's events are partitioned by in the cluster: its first userId, else its
     * first anonymousId (empty only for a profile without either, which no event creates). The
     * engine keeps the partition of this key fixed for a profile's life (docs/SCALE-OUT.md,
     * "Identity merges across partitions"): the profile is written only by that partition's owner.
     */
    public Optional<String> homeKey() {
        return firstIdentity(IdentityKind.USER_ID).or(() -> firstIdentity(IdentityKind.ANONYMOUS_ID));
    }

    public Optional<String> firstIdentity(IdentityKind kind) {
        List<String> values = identities.getOrDefault(kind, List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
