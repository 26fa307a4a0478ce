package io.tessera.segment;

import io.tessera.event.Event;
import io.tessera.profile.Profile;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The incremental evaluator's state for one profile: the latest profile snapshot, one
 * {@link AggregateState} per aggregate the active segments need, the current memberships and
 * the window timer scheduled for it. State is a pure function of the profile's history, the
 * clock and the tracked aggregates, so it can be dropped at any time (eviction, restart) and
 * rebuilt from {@code ProfileStore.history}. Not thread-safe: touched only under the
 * {@link SegmentEngine}'s lock.
 */
final class ProfileWindows {
    private final String profileId;
    private Profile profile;
    private Map<String, Object> traits;
    private Map<String, List<String>> identities;
    private final Map<Aggregate, AggregateState> states = new HashMap<>();
    final Map<String, Instant> memberships;
    Optional<Instant> scheduledTimer;
    /** The log offset of the last event reflected in the state; older deliveries are ignored. */
    long appliedThrough = -1;

    ProfileWindows(Profile profile, Map<String, Instant> memberships, Optional<Instant> scheduledTimer) {
        this.profileId = profile.id();
        setProfile(profile);
        this.memberships = new HashMap<>(memberships);
        this.scheduledTimer = scheduledTimer;
    }

    String profileId() {
        return profileId;
    }

    void setProfile(Profile p) {
        this.profile = p;
        this.traits = p.traitValues();
        Map<String, List<String>> ids = new LinkedHashMap<>();
        p.identities().forEach((k, v) -> ids.put(k.apiName(), v));
        this.identities = ids;
    }

    Profile profile() {
        return profile;
    }

    Set<Aggregate> tracked() {
        return states.keySet();
    }

    /** Starts tracking aggregates from the full history (used on load and when segments change). */
    void track(Set<Aggregate> aggregates, List<Event> history, Instant now) {
        for (Aggregate a : aggregates) {
            if (states.containsKey(a)) {
                continue;
            }
            AggregateState s = new AggregateState(a);
            for (Event e : history) {
                s.add(e, now);
            }
            states.put(a, s);
        }
    }

    /** Applies a new event to every tracked aggregate; returns the aggregates it changed. */
    List<Aggregate> apply(Event e, Instant now) {
        List<Aggregate> changed = new java.util.ArrayList<>(2);
        states.forEach((a, s) -> {
            if (s.add(e, now)) {
                changed.add(a);
            }
        });
        return changed;
    }

    Object value(Aggregate a, Instant now) {
        AggregateState s = states.get(a);
        if (s == null) {
            throw new IllegalStateException("aggregate not tracked for " + profileId + ": " + a.describe());
        }
        return s.value(now);
    }

    Optional<Instant> nextExpiry(Instant now) {
        Optional<Instant> next = Optional.empty();
        for (AggregateState s : states.values()) {
            s.expire(now);
            Optional<Instant> e = s.nextExpiry();
            if (e.isPresent() && (next.isEmpty() || e.get().isBefore(next.get()))) {
                next = e;
            }
        }
        return next;
    }

    SegmentInput input(Instant now, ProfileScores scores) {
        return new SegmentInput(profileId, traits, identities, scores.rfm(profileId), scores.predicted(profileId),
                a -> value(a, now), memberships::containsKey, now);
    }
}
