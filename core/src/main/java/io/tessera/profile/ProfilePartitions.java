package io.tessera.profile;

import io.tessera.event.EventLog.KeyedEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where profiles live in a partitioned log, and how the profile engine hands work to another
 * partition's owner (docs/SCALE-OUT.md, "Identity merges across partitions"). A profile's home
 * partition is the partition of its {@link Profile#homeKey}; only the owner of that partition
 * writes it. With one partition ({@link #SINGLE}: the embedded log) every profile is at home and the
 * engine merges directly.
 *
 * <p>Adapter: {@code log.kafka.KafkaProfilePartitions}. Thread-safe.
 */
public interface ProfilePartitions {

    /** The embedded log: one partition; nothing is ever sent. */
    ProfilePartitions SINGLE = new ProfilePartitions() {
        @Override
        public int count() {
            return 1;
        }

        @Override
        public int partitionOf(String key) {
            return 0;
        }

        @Override
        public CompletableFuture<?> send(List<KeyedEvent> records) {
            return CompletableFuture.failedFuture(new IllegalStateException("one partition: nothing crosses partitions"));
        }
    };

    /** How many partitions the log has (fixed for its life). */
    int count();

    /** The partition the log puts a key's records in. */
    int partitionOf(String key);

    /** Appends relay records to the log; completes when they are durable (as {@code EventLog.append}). */
    CompletableFuture<?> send(List<KeyedEvent> records);
}
