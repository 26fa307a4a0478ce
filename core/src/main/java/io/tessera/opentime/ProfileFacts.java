package io.tessera.opentime;

import java.util.List;
import java.util.Optional;

/**
 * Port: the profile data an open-time feed may read, one declared item at a time (never the
 * whole profile). The server adapter reads the profile store through a cache whose staleness
 * limit is the given data class's.
 */
public interface ProfileFacts {

    /** One trait's current value; {@code dataClass} is the one the feed field declared. */
    SourceAnswer<Optional<Object>> trait(String profileId, String trait, DataClass dataClass);

    /** Product ids the profile viewed, most recent first, at most {@code limit}. */
    SourceAnswer<List<String>> recentlyViewed(String profileId, int limit);
}
