package io.tessera.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tessera.event.Event;
import io.tessera.profile.Identity;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Function;

/**
 * Partition keys through the identity graph (docs/SCALE-OUT.md, "Identity merges across
 * partitions"): an event with a userId is keyed by it; an event with only an anonymousId is keyed
 * by the home key of the profile that anonymousId is linked to — after a merge, the survivor's —
 * else by the anonymousId. So once a visitor's profile was merged into a known one, its later
 * events go straight to the survivor's partition.
 *
 * <p>Answers are cached for {@code ttl} (a link found, or none): a stale answer only costs a hop,
 * because the profile engine forwards an event that reaches a partition its profile no longer
 * lives in. Thread-safe.
 */
public final class HomeRouting implements PartitionKeys {
    private final Function<Identity, Optional<String>> homeKeyOf;
    private final Cache<String, Optional<String>> anonymous;

    /** @param homeKeyOf the home key of the profile carrying an identity ({@code ProfileStore.homeKeyOf}) */
    public HomeRouting(Function<Identity, Optional<String>> homeKeyOf, InstantSource clock, Duration ttl, long size) {
        this.homeKeyOf = homeKeyOf;
        this.anonymous = Caffeine.newBuilder()
                .ticker(() -> {
                    java.time.Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .expireAfterWrite(ttl).maximumSize(size).build();
    }

    @Override
    public String keyOf(Event event) {
        Optional<String> userId = event.userId().filter(v -> !v.isBlank());
        if (userId.isPresent()) {
            return userId.get();
        }
        String anonymousId = Ingestor.partitionKey(event);
        return anonymous.get(anonymousId, a -> homeKeyOf.apply(Identity.anonymousId(a))).orElse(anonymousId);
    }
}
