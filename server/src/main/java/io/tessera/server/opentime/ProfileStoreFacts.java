package io.tessera.server.opentime;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import io.tessera.opentime.DataClass;
import io.tessera.opentime.ProfileFacts;
import io.tessera.opentime.SourceAnswer;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore;
import io.tessera.profile.TraitValue;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Profile facts for open-time feeds, read from the profile store: one trait by name, or — for the
 * pseudo-trait {@code segment:<key>} — whether the profile is in that segment now (a boolean), and
 * the products viewed most recently (the {@code product_id} of "Product Viewed" events in the
 * profile's timeline, newest first, each once). Answers are stamped with the time of the read; the
 * cache in front of this class decides how long they are served. Thread-safe (reads only).
 */
public final class ProfileStoreFacts implements ProfileFacts {
    static final String SEGMENT_PREFIX = "segment:";

    private final ProfileStore profiles;
    private final Function<String, Set<String>> segmentsOf;
    private final InstantSource clock;

    /** @param segmentsOf the keys of the segments a profile is a member of now */
    public ProfileStoreFacts(ProfileStore profiles, Function<String, Set<String>> segmentsOf, InstantSource clock) {
        this.profiles = profiles;
        this.segmentsOf = segmentsOf;
        this.clock = clock;
    }

    @Override
    public SourceAnswer<Optional<Object>> trait(String profileId, String trait, DataClass dataClass) {
        if (trait.startsWith(SEGMENT_PREFIX)) {
            String segment = trait.substring(SEGMENT_PREFIX.length());
            return SourceAnswer.of(Optional.of(segmentsOf.apply(profileId).contains(segment)), clock.instant());
        }
        Optional<Object> value = profiles.get(profileId).map(Profile::traits)
                .map(t -> t.get(trait)).map(TraitValue::value);
        return SourceAnswer.of(value, clock.instant());
    }

    @Override
    public SourceAnswer<List<String>> recentlyViewed(String profileId, int limit) {
        List<Event> timeline = profiles.get(profileId).map(Profile::timeline).orElse(List.of());
        Set<String> ids = new LinkedHashSet<>();
        for (int i = timeline.size() - 1; i >= 0 && ids.size() < limit; i--) {
            Event e = timeline.get(i);
            if (e.type() == EventType.TRACK && e.name().equals("Product Viewed")) {
                LoggedProducts.productId(e.properties()).ifPresent(ids::add);
            }
        }
        return SourceAnswer.of(new ArrayList<>(ids), clock.instant());
    }
}
