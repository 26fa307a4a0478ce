package io.tessera.server.cluster;

import io.tessera.event.EventLog;
import io.tessera.log.kafka.KafkaEventLog;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileEngine;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Which node owns a profile, for work that is not an event: window timers (and, through them,
 * time-driven segment exits and the campaign triggers they cause). A profile belongs to the log
 * partition of its {@link Profile#homeKey} — its userId, else its anonymousId; the profile engine
 * writes it only there (see {@link ProfileRouting}) — and a node owns the partitions Kafka assigned its
 * profile engine. In the embedded mode there is one node and one partition: {@link #owned} is
 * empty, meaning "everything".
 *
 * @param partitionOf the partition of a profile
 * @param owned       the partitions this node owns now (empty: all)
 */
public record PartitionOwnership(ToIntFunction<Profile> partitionOf, Supplier<Optional<Set<Integer>>> owned) {

    /** The embedded mode: one partition, owned by this node. */
    public static final PartitionOwnership SINGLE = new PartitionOwnership(p -> 0, Optional::empty);

    /** Ownership as the log assigns it: by Kafka's partitioner and the engine's assignment, or {@link #SINGLE}. */
    public static PartitionOwnership of(EventLog log, ProfileEngine engine) {
        if (!(log instanceof KafkaEventLog kafka)) {
            return SINGLE;
        }
        return new PartitionOwnership(p -> homeKey(p).map(kafka::partitionOf).orElse(0),
                () -> Optional.of(engine.ownedPartitions()));
    }

    /** The key the profile's events are partitioned by: {@link Profile#homeKey}. */
    static Optional<String> homeKey(Profile p) {
        return p.homeKey();
    }
}
