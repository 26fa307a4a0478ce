package io.tessera.server.cluster;

import io.tessera.event.EventLog;
import io.tessera.ingest.HomeRouting;
import io.tessera.ingest.PartitionKeys;
import io.tessera.log.kafka.KafkaEventLog;
import io.tessera.log.kafka.KafkaProfilePartitions;
import io.tessera.profile.ProfilePartitions;
import io.tessera.profile.ProfileStore;
import java.time.Duration;
import java.time.InstantSource;

/**
 * How the mode decides where profiles live (docs/SCALE-OUT.md, "Identity merges across
 * partitions"): with the Kafka log, the profile engine knows the partitions and sends relay
 * records, and ingestion keys anonymous events through the identity graph; with the embedded log,
 * one partition and the plain keys.
 */
public final class ProfileRouting {
    /** How long ingestion trusts an anonymousId's home key (a stale one costs one forward). */
    static final Duration HOME_TTL = Duration.ofSeconds(5);

    private ProfileRouting() {}

    public static ProfilePartitions partitions(EventLog log) {
        return log instanceof KafkaEventLog kafka ? new KafkaProfilePartitions(kafka) : ProfilePartitions.SINGLE;
    }

    public static PartitionKeys keys(EventLog log, ProfileStore profiles, InstantSource clock) {
        return log instanceof KafkaEventLog ? new HomeRouting(profiles::homeKeyOf, clock, HOME_TTL, 100_000) : PartitionKeys.DIRECT;
    }
}
